using TunnelOperator.Packaging.Tests.Support;

namespace TunnelOperator.Packaging.Tests;

/// <summary>
/// The stand-in for <c>helm template</c> behaves as helm does on the points the other tests rely on, shown on a
/// small chart written here: value coalescing and <c>--set</c> typing, helpers, Files, output order and headers,
/// and helm's wording for <c>required</c>.
/// </summary>
public sealed class HelmRenderTests : IDisposable
{
    private readonly DirectoryInfo _chart = Directory.CreateTempSubdirectory("helm-render-chart-");

    public HelmRenderTests()
    {
        Write("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: \"4.5\"\n");
        Write("values.yaml", "count: 2\nname: web\nlabels:\n  tier: front\n  zone: a\ngone: here\nport: 8080\n");
        Write("files/a.conf", "alpha");
        Write("templates/_helpers.tpl", "{{- define \"demo.name\" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}");
        Write("templates/NOTES.txt", "{{ .Values.count }} notes that never print");
        Write("templates/empty.yaml", "{{- if false }}\nkind: Nothing\n{{- end }}\n");
        Write("templates/objects.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ include "demo.name" . }}
              labels:
                {{- toYaml .Values.labels | nindent 4 }}
            spec:
              replicas: {{ .Values.count }}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ tpl "{{ .Values.name }}-config" . }}
              namespace: {{ .Release.Namespace }}
            data:
              conf: {{ .Files.Get "files/a.conf" | quote }}
              gone: {{ .Values.gone | default "none" | quote }}
              kinds: {{ printf "%T/%T" .Values.count .Values.port | quote }}
              version: {{ .Chart.AppVersion | quote }}
            """);
    }

    private void Write(string name, string text)
    {
        var path = Path.Combine(_chart.FullName, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose() => _chart.Delete(recursive: true);

    [Fact]
    public async Task Render_SortsByKindWithSourceHeaders_AndLeavesOutNotesPartialsAndEmptyDocuments()
    {
        var output = await HelmRender.RenderChartAsync(_chart.FullName, "--name", "rel", "--namespace", "ns");
        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.StartsWith("---\n# Source: demo/templates/objects.yaml\napiVersion: v1\nkind: ConfigMap\n", output.Manifests, StringComparison.Ordinal);
        Assert.Contains("\n---\n# Source: demo/templates/objects.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: rel-demo\n  labels:\n    tier: front\n    zone: a\nspec:\n  replicas: 2\n", output.Manifests, StringComparison.Ordinal);
        Assert.Equal(2, output.Objects.Count);
        Assert.DoesNotContain("notes", output.Manifests, StringComparison.Ordinal);
        var data = output.Objects[0]["data"]!;
        Assert.Equal(("alpha", "here", "float64/float64", "4.5"), (data["conf"]!.GetValue<string>(), data["gone"]!.GetValue<string>(), data["kinds"]!.GetValue<string>(), data["version"]!.GetValue<string>()));
        Assert.Equal(("web-config", "ns"), (output.Objects[0]["metadata"]!["name"]!.GetValue<string>(), output.Objects[0]["metadata"]!["namespace"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Set_TypesLikeStrvals_AndNullRemovesADefault()
    {
        var values = Path.Combine(_chart.FullName, "override.yaml");
        File.WriteAllText(values, "labels:\n  zone: b\nname: from-file\n");
        var output = await HelmRender.RenderChartAsync(_chart.FullName, "-f", values, "--set", "count=3,port=0123,gone=null", "--set", "labels.tier=back");
        Assert.True(output.ExitCode == 0, output.ToString());
        var config = output.Objects[0]["data"]!;
        Assert.Equal(("none", "int64/string"), (config["gone"]!.GetValue<string>(), config["kinds"]!.GetValue<string>()));
        Assert.Equal("from-file-config", output.Objects[0]["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("{\"tier\":\"back\",\"zone\":\"b\"}", output.Objects[1]["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public async Task Required_FailsWithHelmsExecutionErrorWording()
    {
        Write("templates/needs.yaml", "kind: ConfigMap\nmetadata:\n  name: {{ required \"name is required\" .Values.missing }}\n");
        var output = await HelmRender.RenderChartAsync(_chart.FullName);
        Assert.Equal(1, output.ExitCode);
        Assert.Equal("Error: execution error at (demo/templates/needs.yaml:3:11): name is required", output.Error.Trim());
    }
}
