using System.Net;
using System.Net.Sockets;

namespace TunnelOperator.Agent.Forwards;

/// <summary>The outcome of checking a requested source: addresses to dial, or why not.</summary>
public readonly record struct SourceCheck(IReadOnlyList<IPEndPoint> EndPoints, string? Refusal, string? Failure)
{
    public bool Allowed => Refusal is null && Failure is null;
}

/// <summary>
/// Turns a requested source into the endpoints a forward server may dial. A name is resolved
/// once and every address it yields must pass the allowlist, not just the first; the server
/// then dials these checked addresses, never the name again, so a DNS answer that changes
/// between check and connect (rebinding) cannot lead it anywhere unchecked.
/// </summary>
public sealed class SourceResolver(ForwardAllowlist allowlist, TimeProvider time, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public async Task<SourceCheck> CheckAsync(ForwardSource source, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (source.Address is { } literal)
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = new CancellationTokenSource(ResolveTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                addresses = await _resolve(source.Host, linked.Token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                return new SourceCheck([], null, $"'{source.Host}' does not resolve on the server ({e.SocketErrorCode})");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new SourceCheck([], null, $"resolving '{source.Host}' on the server timed out");
            }

            if (addresses.Length == 0)
            {
                return new SourceCheck([], null, $"'{source.Host}' has no addresses on the server");
            }
        }

        foreach (var address in addresses)
        {
            var decision = allowlist.Check(source.Protocol, address);
            if (!decision.Allowed)
            {
                var subject = source.Address is null ? $"{source} (resolved to {address})" : source.ToString();
                return new SourceCheck([], $"source {subject} is not allowed: {decision.Rule}", null);
            }
        }

        return new SourceCheck([.. addresses.Distinct().Select(a => new IPEndPoint(a, source.Port))], null, null);
    }
}
