global using TunnelOperator.Edge.Tests.Support;
global using TunnelOperator.Testing;
