using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Hives;

/// <summary>How long the relay keeps what it holds for actors.</summary>
public sealed record HiveRetention
{
    [Description("How long envelopes for an offline actor are queued before they are dropped, as a Go duration. The relay stores only ciphertext.")]
    [Default("168h")]
    [Pattern(Patterns.Duration)]
    [Length(2, 32)]
    public string Undelivered { get; set; } = "168h";

    [Description("How long the relay keeps an actor's unused one-time prekeys before asking the client to replace them, as a Go duration.")]
    [Default("720h")]
    [Pattern(Patterns.Duration)]
    [Length(2, 32)]
    public string Prekeys { get; set; } = "720h";
}
