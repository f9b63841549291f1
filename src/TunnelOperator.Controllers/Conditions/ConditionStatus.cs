namespace TunnelOperator.Controllers;

/// <summary>The three values of a condition's <c>status</c> (meta/v1 ConditionStatus).</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    public static string From(bool value) => value ? True : False;
}
