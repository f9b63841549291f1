# The suite's one image: `tunneld` (edge, hub, local control plane, operator) and `tunnelctl`
# (agents, port forwarding), at /usr/local/bin. The operator points the Pods it creates at this
# image; their command names the program, e.g. command: ["tunneld"], args: ["serve", ...].
#
#   docker build -t ghcr.io/tunneloperator/tunneloperator:dev .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so source edits keep the package layer cached.
COPY global.json Directory.Build.props Directory.Packages.props TunnelOperator.sln ./
COPY protos/ protos/
COPY src/ src/
RUN dotnet restore src/Tunneld/Tunneld.csproj \
 && dotnet restore src/Tunnelctl/Tunnelctl.csproj
RUN dotnet publish src/Tunneld/Tunneld.csproj -c Release --no-restore -o /out/tunneld \
 && dotnet publish src/Tunnelctl/Tunnelctl.csproj -c Release --no-restore -o /out/tunnelctl

# Kestrel serves every listener, so the runtime is ASP.NET Core's.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY --from=build /out/tunneld /opt/tunneloperator/tunneld
COPY --from=build /out/tunnelctl /opt/tunneloperator/tunnelctl
RUN ln -s /opt/tunneloperator/tunneld/tunneld /usr/local/bin/tunneld \
 && ln -s /opt/tunneloperator/tunnelctl/tunnelctl /usr/local/bin/tunnelctl \
 && mkdir -p /var/lib/tunneld && chown 65532:65532 /var/lib/tunneld
# The edge keeps its SQLite store and generated CA in its data directory (a volume in the Pods
# the operator makes); everything else is read-only.
ENV TUNNELD_DATA_DIR=/var/lib/tunneld \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_gcServer=0
USER 65532:65532
WORKDIR /var/lib/tunneld
CMD ["tunneld", "--help"]
