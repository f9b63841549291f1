using System.Text.RegularExpressions;
using System.Xml.Linq;
using TunnelOperator.Packaging.Tests.Support;

namespace TunnelOperator.Packaging.Tests;

/// <summary>
/// The Dockerfile builds the one image from files that exist, puts the programs where the manifests and the
/// workload runner expect them, and runs as non-root. No Docker engine here: the file is read, not built.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = Instructions(Repository.Read("Dockerfile"));

    /// <summary>The instructions, with continuation lines joined and comments dropped.</summary>
    private static string[] Instructions(string text) =>
        [.. Regex.Replace(text, @"\\\r?\n", " ").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    private static IEnumerable<string[]> Words(string instruction) =>
        Lines.Where(l => l.StartsWith(instruction + " ", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);

    [Fact]
    public void EveryCopySourceFromTheContext_Exists()
    {
        var copies = Words("COPY").Where(w => !w[0].StartsWith("--from=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var words in copies)
        {
            foreach (var source in words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            {
                Assert.True(File.Exists(Repository.File(source)) || Directory.Exists(Repository.File(source)), $"COPY {source}: no such file or directory in the build context");
            }
        }
    }

    [GeneratedRegex(@"dotnet (?:restore|publish) (\S+\.csproj)")]
    private static partial Regex ProjectArgument();

    [Fact]
    public void PublishedProjects_AreTunneldAndTunnelctl_AndExist()
    {
        var projects = Lines.SelectMany(l => ProjectArgument().Matches(l).Select(m => m.Groups[1].Value)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["src/Tunnelctl/Tunnelctl.csproj", "src/Tunneld/Tunneld.csproj"], projects);
        foreach (var project in projects)
        {
            Assert.True(File.Exists(Repository.File(project)), $"{project} does not exist");
        }
    }

    /// <summary>
    /// The build stage sees only what was copied: every project the published ones reference (transitively),
    /// and every file outside a project's own folder that one names (protos), must lie under a COPY source.
    /// </summary>
    [Fact]
    public void PublishedProjects_BuildFromCopiedFilesOnly()
    {
        var copied = Words("COPY").Where(w => !w[0].StartsWith("--from=", StringComparison.Ordinal))
            .SelectMany(w => w.SkipLast(1)).Select(source => Path.GetFullPath(Repository.File(source))).ToList();
        bool IsCopied(string path) => copied.Any(c => path == c || path.StartsWith(c.TrimEnd('/') + "/", StringComparison.Ordinal));

        var pending = new Queue<string>([Repository.File("src", "Tunneld", "Tunneld.csproj"), Repository.File("src", "Tunnelctl", "Tunnelctl.csproj")]);
        var seen = new HashSet<string>();
        while (pending.TryDequeue(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            Assert.True(File.Exists(project), $"{project} is referenced but does not exist");
            Assert.True(IsCopied(project), $"{Path.GetRelativePath(Repository.Root, project)} is built but the Dockerfile does not copy it");
            var folder = Path.GetDirectoryName(project)!;
            foreach (var item in XDocument.Load(project).Descendants().Where(e => e.Attribute("Include") is not null))
            {
                var include = item.Attribute("Include")!.Value;
                if (!include.StartsWith("../", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = Path.GetFullPath(Path.Combine(folder, include.Split('*')[0]));
                if (item.Name.LocalName == "ProjectReference")
                {
                    pending.Enqueue(path);
                }
                else
                {
                    Assert.True(IsCopied(path), $"{Path.GetRelativePath(Repository.Root, project)} includes {include}, which the Dockerfile does not copy");
                }
            }
        }

        Assert.Contains(seen, p => p.EndsWith("TunnelOperator.ControlPlane.csproj", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tunneld")]
    [InlineData("tunnelctl")]
    public void Image_PutsTheProgramOnPath(string program)
    {
        // The workload runner maps command[0] by file name (SuiteImages): the manifests say command: ["tunneld"].
        var link = $"ln -s /opt/tunneloperator/{program}/{program} /usr/local/bin/{program}";
        Assert.Contains(Lines, l => l.Contains(link, StringComparison.Ordinal));
        Assert.Contains(Words("COPY"), w => w[0] == "--from=build" && w[^1] == $"/opt/tunneloperator/{program}");
    }

    [Fact]
    public void Image_RunsAsANumericNonRootUser()
    {
        var user = Assert.Single(Words("USER"));
        var uid = user[0].Split(':')[0];
        Assert.True(int.TryParse(uid, out var id) && id > 0, $"USER {user[0]}: runAsNonRoot needs a numeric, non-zero user");
    }

    [Fact]
    public void ManagerManifest_RunsTheImagesTunneld()
    {
        var deployment = YamlDocuments.ParseFile("config", "manager", "manager.yaml").Single(o => o["kind"]!.GetValue<string>() == "Deployment");
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(["tunneld"], PolicyRules.Strings(container["command"]));
        Assert.Equal("operator", PolicyRules.Strings(container["args"]).First());
        Assert.Contains(Lines, l => l.Contains("/usr/local/bin/tunneld", StringComparison.Ordinal));
    }

    [Fact]
    public void DockerIgnore_LeavesOutBuildOutputs()
    {
        var ignored = Repository.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }
}
