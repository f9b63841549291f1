namespace TunnelOperator.ControlPlane.Tests.Workloads;

/// <summary>
/// The stand-in for the suite's programs in workload tests: a small Python program installed as both
/// <c>tunneld</c> and <c>tunnelctl</c>.
/// <list type="bullet">
/// <item><c>serve --http ADDR:PORT [--udp ADDR:PORT] [--ready-file PATH] [--tls-cert PEM --tls-key PEM]</c>: HTTP (HTTPS with a certificate) answering
///   <c>hello from $HOSTNAME</c> (<c>/ready</c> is 200 only while the ready file exists, <c>/env/NAME</c> echoes a
///   variable, <c>/file?path=P</c> a file), a UDP echo prefixed with the host name; SIGTERM prints
///   <c>terminating</c> and exits 0;</item>
/// <item><c>print ARGS...</c>: prints each argument and the environment, then sleeps;</item>
/// <item><c>crash CODE</c>: prints <c>crashing</c> and exits with CODE.</item>
/// </list>
/// </summary>
internal static class FakeSuiteProgram
{
    public static string Python { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Writes the program into <paramref name="directory"/> and returns its path.</summary>
    public static string Install(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "tunneld");
        File.WriteAllText(path, $"#!{Python}\n" + Source);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private const string Source = """
        import http.server, os, signal, socket, sys, threading, time, urllib.parse

        def main(args):
            mode = args[0] if args else "serve"
            if mode == "crash":
                print("crashing", flush=True)
                sys.exit(int(args[1]) if len(args) > 1 else 1)
            if mode == "print":
                for a in args[1:]:
                    print("arg=" + a)
                for k in sorted(os.environ):
                    print("env " + k + "=" + os.environ[k])
                print("printed", flush=True)
                signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
                while True:
                    time.sleep(3600)
            opts, rest = {}, args[1:]
            while rest:
                if "=" in rest[0]:
                    k, v = rest[0].split("=", 1)
                    opts[k], rest = v, rest[1:]
                else:
                    opts[rest[0]], rest = rest[1], rest[2:]
            host = os.environ.get("HOSTNAME", "?")
            ready_file = opts.get("--ready-file")

            class Handler(http.server.BaseHTTPRequestHandler):
                def log_message(self, *a):
                    pass
                def do_GET(self):
                    url = urllib.parse.urlparse(self.path)
                    code, body = 200, "hello from " + host + "\n"
                    if url.path == "/ready":
                        code = 200 if ready_file and os.path.exists(ready_file) else 503
                        body = "ready\n" if code == 200 else "not ready\n"
                    elif url.path.startswith("/env/"):
                        body = os.environ.get(url.path[5:], "") + "\n"
                    elif url.path == "/file":
                        with open(urllib.parse.parse_qs(url.query)["path"][0]) as f:
                            body = f.read()
                    data = body.encode()
                    self.send_response(code)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

            addr, port = opts["--http"].rsplit(":", 1)
            server = http.server.ThreadingHTTPServer((addr, int(port)), Handler)
            if "--tls-cert" in opts:
                import ssl
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(opts["--tls-cert"], opts["--tls-key"])
                server.socket = context.wrap_socket(server.socket, server_side=True)
            if "--udp" in opts:
                uaddr, uport = opts["--udp"].rsplit(":", 1)
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                u.bind((uaddr, int(uport)))
                def echo():
                    while True:
                        data, peer = u.recvfrom(65535)
                        u.sendto((host + ":").encode() + data, peer)
                threading.Thread(target=echo, daemon=True).start()
            def term(*_):
                print("terminating", flush=True)
                os._exit(0)
            signal.signal(signal.SIGTERM, term)
            print("listening on " + opts["--http"], flush=True)
            server.serve_forever()

        main(sys.argv[1:])
        """;
}
