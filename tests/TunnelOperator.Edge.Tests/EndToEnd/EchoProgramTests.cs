namespace TunnelOperator.Edge.Tests.EndToEnd;

/// <summary><c>tunneld echo</c>, the origin the samples use, driven as a program with curl as its client.</summary>
public sealed class EchoProgramTests
{
    [Fact]
    public async Task Echo_AnswersWithTheRequestItSaw()
    {
        await using var echo = ProgramProcess.Start(RepoPaths.Tunneld, ["echo", "--addr", "127.0.0.1:0"]);
        var url = (await echo.WaitForLineAsync("tunneld echo listening on "))["tunneld echo listening on ".Length..];

        var (code, output) = await ProgramProcess.RunAsync("curl", ["-sS", "-X", "PUT", "-H", "X-Probe: 42", "--data-binary", "payload", $"{url}/some/path?q=1"]);

        Assert.Equal(0, code);
        var seen = OriginServer.ParseJson(output);
        Assert.Equal("PUT", seen.GetProperty("method").GetString());
        Assert.Equal("/some/path", seen.GetProperty("path").GetString());
        Assert.Equal("?q=1", seen.GetProperty("query").GetString());
        Assert.Equal("42", seen.GetProperty("headers").GetProperty("X-Probe").GetString());
        Assert.Equal("payload", seen.GetProperty("body").GetString());
        Assert.Equal(7, seen.GetProperty("bodyLength").GetInt64());
    }

    [Fact]
    public async Task Echo_RefusesAnAddressThatIsNotOne()
    {
        var (code, output) = await ProgramProcess.RunAsync(RepoPaths.Tunneld, ["echo", "--addr", "nowhere"]);

        Assert.Equal(2, code);
        Assert.Contains("--addr 'nowhere' is not a listen address", output, StringComparison.Ordinal);
    }
}
