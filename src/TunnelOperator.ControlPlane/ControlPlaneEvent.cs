using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane;

/// <summary>
/// A committed change, for in-process components started alongside the control plane (the workload
/// runner follows Deployments this way). <see cref="Body"/> is a private copy.
/// </summary>
public sealed record ControlPlaneEvent(string Type, string Group, string Resource, string Namespace, string Name, string ResourceVersion, JsonObject Body);
