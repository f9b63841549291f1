global using TunnelOperator.Edge.Tests.Support;
