using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Workloads.Kubelet.Probes;
using TunnelOperator.ControlPlane.Workloads.Logs;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>The Pod's side of its containers: what they run with, where they log, and the Pod's status.</summary>
internal sealed partial class PodWorker : IContainerHost
{
    public string PodRef => $"{Name}_{Namespace}({Uid})";

    public string RestartPolicy => _spec.Spec?.RestartPolicy ?? "Always";

    public TimeSpan GracePeriod => TimeSpan.FromSeconds(_spec.Spec?.TerminationGracePeriodSeconds ?? 30);

    /// <summary>
    /// The process of a container start: the suite program <c>command[0]</c> names (or the entrypoint), args
    /// with <c>$(VAR)</c> expanded and mount paths mapped, the resolved environment on top of the inherited
    /// variables and HOME, HOSTNAME, TMPDIR and TUNNELOP_HOSTS_FILE, in the Pod's directory.
    /// </summary>
    public (LaunchSpec? Launch, string? Reason, string? Message) Prepare(Container container)
    {
        if (_mountError is not null)
        {
            return (null, "ContainerCreating", null);
        }

        var command = container.Command is { Count: > 0 } c ? c : [_ctx.Options.Entrypoint];
        var file = _ctx.Programs.Resolve(command[0]);
        if (file is null)
        {
            return (null, "RunContainerError",
                $"exec: \"{command[0]}\": executable file not found: the local runner runs the suite's programs ({string.Join(", ", _ctx.Programs.Names)}) from {string.Join(", ", _ctx.Options.Programs.Values)}");
        }

        var mounts = _mounts.GetValueOrDefault(container.Name ?? "") ?? MountPaths.None;
        var facts = new ContainerEnvironment.PodFacts(Volatile.Read(ref _pod), _podIp, _ctx.Options.NodeName, _ctx.Options.NodeAddress);
        var resolved = ContainerEnvironment.Resolve(_ctx.Api, facts, container, mounts);
        if (resolved.Variables is not { } variables)
        {
            return (null, "CreateContainerConfigError", resolved.Error);
        }

        var dir = _ctx.Paths.Pod(Namespace, Name);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in _ctx.Options.InheritedEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                env[name] = value;
            }
        }

        env["HOME"] = dir;
        env["HOSTNAME"] = Name;
        env["TMPDIR"] = Path.Combine(dir, "tmp");
        env["TUNNELOP_HOSTS_FILE"] = _ctx.Paths.HostsFile;
        foreach (var (key, value) in variables)
        {
            env[key] = value;
        }

        string? Lookup(string name) => variables.TryGetValue(name, out var v) ? v : null;
        var args = command.Skip(1).Concat(container.Args ?? []).Select(a => mounts.Rewrite(VarExpansion.Expand(a, Lookup))).ToList();
        var workingDir = container.WorkingDir is { Length: > 0 } wd ? mounts.Map(wd) ?? dir : dir;
        return (new LaunchSpec(file, args, env, workingDir), null, null);
    }

    public ProbeTarget ProbeTarget(Container container, LaunchSpec launch) =>
        new(_podIp ?? "127.0.0.1", container.Ports ?? [], launch, name => _ctx.Programs.Resolve(name) ?? OnPath(name));

    private static string? OnPath(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    public ContainerLogWriter OpenLog(string container, int instance) => _ctx.Logs.OpenWriter(Namespace, Name, container, instance);

    public string PidFile(string container) => _ctx.Paths.PidFile(Namespace, Name, container);

    public void StatusChanged() => _signal.Set();

    public Task EventAsync(bool warning, string container, string reason, string message)
    {
        var pod = Volatile.Read(ref _pod);
        var isInit = _spec.Spec?.InitContainers?.Any(c => c.Name == container) == true;
        var fieldPath = $"spec.{(isInit ? "initContainers" : "containers")}{{{container}}}";
        return warning
            ? _ctx.Events.WarningAsync(KubeletContext.Component, _ctx.Options.NodeName, pod, reason, message, CancellationToken.None, fieldPath)
            : _ctx.Events.NormalAsync(KubeletContext.Component, _ctx.Options.NodeName, pod, reason, message, CancellationToken.None, fieldPath);
    }

    /// <summary>Writes the Pod's status through /status when it differs from the stored one.</summary>
    private async Task WriteStatusAsync(CancellationToken ct)
    {
        var current = _ctx.Api.Get(_ctx.Api.Pods, Namespace, Name);
        if (current is null || Meta.Uid(current) != Uid || Meta.IsDeleting(current) || (!_prepared && _unsupported is null && _podIp is null && Meta.Str(current["status"]?["phase"]) is "Succeeded" or "Failed"))
        {
            return;
        }

        var state = new PodState
        {
            SandboxReady = _prepared,
            PodIp = _prepared ? _podIp : null,
            HostIp = _ctx.Options.NodeAddress,
            StartTime = _startTime ?? _ctx.Time.GetUtcNow(),
            InitContainers = _prepared ? [.. _init.Select(r => r.Snapshot)] : [.. (_spec.Spec?.InitContainers ?? []).Select(Placeholder)],
            Containers = _prepared ? [.. _containers.Select(r => r.Snapshot)] : [.. (_spec.Spec?.Containers ?? []).Select(Placeholder)],
            RestartPolicy = RestartPolicy,
        };
        _startTime = state.StartTime;
        var status = PodStatusBuilder.Build(current["status"] as JsonObject, state, _ctx.Time.GetUtcNow());
        if (JsonNode.DeepEquals(status, current["status"]))
        {
            return;
        }

        var outcome = await _ctx.Api.ModifyStatusAsync(_ctx.Api.Pods, Namespace, Name, Uid, p => p["status"] = status.DeepClone(), KubeletContext.Component, ct);
        if (outcome.Error is { Code: not (404 or 409) })
        {
            _ = RetryLaterAsync(ct);
        }
    }

    /// <summary>A container that has not started: UnsupportedImage for images the runner cannot run, else ContainerCreating.</summary>
    private ContainerSnapshot Placeholder(Container c) =>
        new(c.Name ?? "", c.Image ?? "", _ctx.Images.Matches(c.Image) || _unsupported is null
            ? ContainerSnapshot.Waiting("ContainerCreating")
            : ContainerSnapshot.Waiting("UnsupportedImage", _unsupported), null, 0, false, false, null);
}
