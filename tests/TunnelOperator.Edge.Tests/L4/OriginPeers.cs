using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>Origins and load balancers nobody here wrote, started on loopback for one test.</summary>
internal sealed class OriginPeers : IAsyncDisposable
{
    private readonly List<ProgramProcess> _processes = [];

    public string Dir { get; } = Directory.CreateTempSubdirectory("l4-peers").FullName;

    /// <summary>A self-signed certificate for the names (PEM files), the origin's own.</summary>
    public (string Cert, string Key) SelfSigned(params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}, O=Origin Itself", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var cert = Path.Combine(Dir, $"{names[0]}.crt");
        var keyPath = Path.Combine(Dir, $"{names[0]}.key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (cert, keyPath);
    }

    /// <summary><c>openssl s_server -www</c>: a TLS origin that answers HTTP with a status page.</summary>
    public async Task<int> OpensslServerAsync(string cert, string key)
    {
        var port = FreePort.Next();
        var process = Start(RealTools.Require("openssl"), ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", cert, "-key", key, "-www", "-naccept", "1000"]);
        await WaitForPortAsync(port, process);
        return port;
    }

    /// <summary>nginx with <c>proxy_protocol</c> on a TLS listener: it answers with the client address the PROXY header gave it.</summary>
    public async Task<int> NginxProxyProtocolTlsAsync(string cert, string key)
    {
        var port = FreePort.Next();
        var config = Path.Combine(Dir, $"nginx-{port}.conf");
        File.WriteAllText(config, $$"""
            worker_processes 1;
            daemon off;
            pid {{Dir}}/nginx-{{port}}.pid;
            error_log {{Dir}}/nginx-{{port}}.err warn;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{Dir}}/body; proxy_temp_path {{Dir}}/proxy; fastcgi_temp_path {{Dir}}/fcgi; uwsgi_temp_path {{Dir}}/uwsgi; scgi_temp_path {{Dir}}/scgi;
              server {
                listen 127.0.0.1:{{port}} ssl proxy_protocol;
                ssl_certificate {{cert}};
                ssl_certificate_key {{key}};
                location / { return 200 "client=$proxy_protocol_addr:$proxy_protocol_port server=$proxy_protocol_server_addr:$proxy_protocol_server_port sni=$ssl_server_name\n"; }
              }
            }
            """);
        var process = Start(RealTools.Require("nginx"), ["-c", config, "-p", Dir]);
        await WaitForPortAsync(port, process);
        return port;
    }

    /// <summary>haproxy with <c>accept-proxy</c> on a plain listener: it answers with the source address from the PROXY header.</summary>
    public Task<int> HaproxyAcceptProxyAsync() =>
        HaproxyOriginAsync("accept-proxy", "client=%[src]:%[src_port] server=%[dst]:%[dst_port]");

    /// <summary>
    /// haproxy with <c>accept-proxy</c> on a TLS listener: it answers with the client address
    /// and the AUTHORITY TLV (<c>fc_pp_authority</c>) of the PROXY v2 header, beside the SNI it
    /// saw in the handshake itself.
    /// </summary>
    public Task<int> HaproxyAcceptProxyTlsAsync(string certPath, string keyPath)
    {
        var pem = Path.Combine(Dir, $"haproxy-origin-{Guid.NewGuid():N}.pem");
        File.WriteAllText(pem, File.ReadAllText(certPath) + "\n" + File.ReadAllText(keyPath));
        return HaproxyOriginAsync($"accept-proxy ssl crt {pem}", "client=%[src]:%[src_port] authority=%[fc_pp_authority] sni=%[ssl_fc_sni]");
    }

    private async Task<int> HaproxyOriginAsync(string bindOptions, string answer)
    {
        var port = FreePort.Next();
        var config = Path.Combine(Dir, $"haproxy-origin-{port}.cfg");
        File.WriteAllText(config, $$"""
            global
              maxconn 256
            defaults
              mode http
              timeout connect 5s
              timeout client 30s
              timeout server 30s
            frontend origin
              bind 127.0.0.1:{{port}} {{bindOptions}}
              http-request return status 200 content-type text/plain lf-string "{{answer}}\n"

            """);
        var process = Start(RealTools.Require("haproxy"), ["-f", config, "-db"]);
        await WaitForPortAsync(port, process);
        return port;
    }

    /// <summary>haproxy in TCP mode in front of <paramref name="backendPort"/>, sending PROXY v2 first.</summary>
    public async Task<int> HaproxySendProxyV2Async(int backendPort)
    {
        var port = FreePort.Next();
        var config = Path.Combine(Dir, $"haproxy-lb-{port}.cfg");
        File.WriteAllText(config, $$"""
            global
              maxconn 256
            defaults
              mode tcp
              timeout connect 5s
              timeout client 30s
              timeout server 30s
            frontend lb
              bind 127.0.0.1:{{port}}
              default_backend edge
            backend edge
              server edge 127.0.0.1:{{backendPort}} send-proxy-v2

            """);
        var process = Start(RealTools.Require("haproxy"), ["-f", config, "-db"]);
        await WaitForPortAsync(port, process);
        return port;
    }

    private ProgramProcess Start(string file, string[] args)
    {
        var process = ProgramProcess.Start(file, args, workingDirectory: Dir);
        _processes.Add(process);
        return process;
    }

    private static async Task WaitForPortAsync(int port, ProgramProcess process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.Exited.IsCompleted)
            {
                throw new InvalidOperationException($"the peer exited before listening on {port}:\n{process.Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nothing listens on {port}:\n{process.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
