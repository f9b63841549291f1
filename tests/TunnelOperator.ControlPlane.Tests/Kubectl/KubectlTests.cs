using TunnelOperator.Testing;

namespace TunnelOperator.ControlPlane.Tests.Kubectl;

/// <summary>kubectl 1.33, the version the control plane reports.</summary>
public sealed class Kubectl133Tests(KubectlHarness harness) : KubectlScenarios(harness, KubectlRunner.KnownBinaries[0]), IClassFixture<KubectlHarness>;

/// <summary>The machine's default kubectl (1.32): one minor version behind, within the supported skew.</summary>
public sealed class KubectlDefaultTests(KubectlHarness harness) : KubectlScenarios(harness, KubectlRunner.KnownBinaries[1]), IClassFixture<KubectlHarness>;
