using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Forwards;

/// <summary>What a forward client tells its user about each answer a forward stream can get.</summary>
public static class ForwardReplies
{
    /// <summary>True for refusals that will not change by retrying the same request.</summary>
    public static bool IsPermanent(ForwardStatus status) =>
        status is ForwardStatus.TokenRejected or ForwardStatus.SourceNotAllowed or ForwardStatus.BadRequest;

    public static string Explain(ForwardReply reply, string serverId) => reply.Status switch
    {
        ForwardStatus.Ok => $"forwarding through server {serverId}",
        ForwardStatus.UnknownServer =>
            $"Error: UnknownServer: {reply.Message}. Check --server: use the ID the server printed when it started ('forward server ID: <name>.<slug>'), and point server and client at the same edge.",
        ForwardStatus.ServerOffline =>
            $"Error: ServerOffline: {reply.Message}. The server reconnects by itself once it runs again; check that 'tunnelctl port-forward server' is running and look at its output.",
        ForwardStatus.TokenRejected =>
            $"Error: TokenRejected: {reply.Message}. Use one of the tokens the server was started with (--auth-tokens or --auth-tokens-file); its operator can make new ones with 'tunnelctl generate-token'.",
        ForwardStatus.SourceNotAllowed =>
            $"Error: SourceNotAllowed: {reply.Message}. Forward a source the server allows, or ask its operator to allow this one.",
        ForwardStatus.SourceUnreachable =>
            $"Error: SourceUnreachable: {reply.Message}. Check that the service runs and listens there, as seen from the server's machine.",
        ForwardStatus.LimitReached => $"Error: LimitReached: {reply.Message}",
        ForwardStatus.BadRequest => $"Error: BadRequest: {reply.Message}",
        _ => $"Error: {reply.Message}",
    };
}
