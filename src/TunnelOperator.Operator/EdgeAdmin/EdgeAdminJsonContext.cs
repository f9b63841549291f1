using System.Text.Json.Serialization;

namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>The edge admin API's JSON: snake_case, as <c>tunneld serve</c> writes it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EdgeTunnel[]))]
[JsonSerializable(typeof(EdgeUser))]
[JsonSerializable(typeof(EdgeUser[]))]
[JsonSerializable(typeof(EdgeToken[]))]
[JsonSerializable(typeof(IssuedEdgeToken))]
[JsonSerializable(typeof(EdgeAdminRequests.CreateUser))]
[JsonSerializable(typeof(EdgeAdminRequests.IssueToken))]
[JsonSerializable(typeof(EdgeAdminRequests.ErrorBody))]
internal sealed partial class EdgeAdminJsonContext : JsonSerializerContext;
