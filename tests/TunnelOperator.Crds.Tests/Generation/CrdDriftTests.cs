using System.Text;
using TunnelOperator.Crds.Tests.Support;

namespace TunnelOperator.Crds.Tests.Generation;

/// <summary>
/// The committed manifests are exactly what the types generate. With UPDATE_CRDS=1 the test
/// rewrites them instead, which is what <c>make manifests</c> does through <c>tunneld crds</c>.
/// </summary>
public sealed class CrdDriftTests
{
    private const string Regenerate = "run `make manifests` (or UPDATE_CRDS=1 dotnet test tests/TunnelOperator.Crds.Tests) and commit the result";

    public static TheoryData<string> FileNames() => new(CrdManifests.GenerateAll().Select(f => f.FileName));

    [Theory]
    [MemberData(nameof(FileNames))]
    public async Task CommittedManifest_EqualsGenerated(string fileName)
    {
        var generated = CrdManifests.GenerateAll().Single(f => f.FileName == fileName).Yaml;
        var path = Path.Combine(RepoPaths.CrdBases, fileName);
        if (Environment.GetEnvironmentVariable("UPDATE_CRDS") == "1")
        {
            Directory.CreateDirectory(RepoPaths.CrdBases);
            await File.WriteAllTextAsync(path, generated, new UTF8Encoding(false), TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(path), $"{path} is missing: {Regenerate}");
        var committed = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        Assert.True(committed == generated, $"{path} differs from what the types generate: {Regenerate}");
    }

    [Fact]
    public void CrdDirectory_HoldsNoManifestOfAnUnknownKind()
    {
        var expected = CrdManifests.GenerateAll().Select(f => f.FileName).ToHashSet();
        var stale = Directory.GetFiles(RepoPaths.CrdBases, "*.yaml").Select(Path.GetFileName).Where(f => !expected.Contains(f!)).ToList();
        Assert.True(stale.Count == 0, $"config/crd/bases holds manifests no kind generates ({string.Join(", ", stale)}): delete them");
    }

    [Fact]
    public void Generation_IsDeterministic()
    {
        Assert.Equal(CrdManifests.GenerateAll(), CrdManifests.GenerateAll());
    }

    [Fact]
    public async Task WriteAllAsync_WritesEveryManifestByteForByte()
    {
        var directory = Directory.CreateTempSubdirectory("crds-").FullName;
        try
        {
            await CrdManifests.WriteAllAsync(Path.Combine(directory, "bases"), TestContext.Current.CancellationToken);
            foreach (var (fileName, yaml) in CrdManifests.GenerateAll())
            {
                Assert.Equal(Encoding.UTF8.GetBytes(yaml), await File.ReadAllBytesAsync(Path.Combine(directory, "bases", fileName), TestContext.Current.CancellationToken));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
