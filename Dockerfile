# stashmount container image. Never built in this repository's CI: no container engine or base-image registry
# is available where it is developed, so treat it as a starting point and build it yourself:
#   docker build -t stashmount:dev .
#
# Stage 1: build a self-contained linux-x64 stashmount with the .NET SDK.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY Directory.Build.props Directory.Packages.props Mount.sln ./
COPY src/ src/
RUN dotnet publish src/Mount/Mount.csproj -c Release -r linux-x64 --self-contained true \
        -p:PublishSingleFile=false -o /app

# Stage 2: a slim Debian runtime with libfuse3 (FUSE mounts), libzstd (restic v2 compression), OpenSSL and CA
# certificates (HTTPS to object storage and the Kubernetes API). InvariantGlobalization is on, so no ICU.
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends fuse3 libfuse3-3 libzstd1 libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    # Lets a non-root stashmount mount with allow_other, so other containers and users can read the mount.
    && echo user_allow_other >> /etc/fuse.conf \
    && groupadd --system --gid 10001 stashmount \
    && useradd --system --uid 10001 --gid stashmount --home-dir /nonexistent --shell /usr/sbin/nologin stashmount
COPY --from=build /app /opt/stashmount
RUN ln -s /opt/stashmount/stashmount /usr/local/bin/stashmount

# Non-root by default: reading, restoring and mounting through the setuid fusermount3 work as this user when the
# container gets /dev/fuse and CAP_SYS_ADMIN. Kubernetes only allows Bidirectional mount propagation (needed to
# share the mount with other containers or the node) in privileged containers; deploy/ runs those as root.
USER 10001:10001
ENTRYPOINT ["stashmount"]
CMD ["--help"]
