using StashMount.TestSupport;
using YamlDotNet.RepresentationModel;

namespace StashMount.Backends.Tests.Kubernetes;

/// <summary>The manifests in deploy/ and the Dockerfile carry the fields the README's instructions rely on.</summary>
public sealed class DeployManifestTests
{
    private static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.SourceRoot, "deploy", file));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlNode? At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
                return null;
            node = child;
        }
        return node;
    }

    private static string? Text(YamlNode node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    private static IEnumerable<YamlMappingNode> Items(YamlNode node, params string[] path) =>
        (At(node, path) as YamlSequenceNode)?.OfType<YamlMappingNode>() ?? [];

    private static IEnumerable<string> Strings(YamlNode node, params string[] path) =>
        (At(node, path) as YamlSequenceNode)?.OfType<YamlScalarNode>().Select(s => s.Value ?? "") ?? [];

    [Fact]
    public void RbacGrantsOnlyReadsOnWhatStashMountUses()
    {
        var documents = Documents("rbac.yaml");
        var account = documents.Single(d => Text(d, "kind") == "ServiceAccount");
        var role = documents.Single(d => Text(d, "kind") == "ClusterRole");
        var binding = documents.Single(d => Text(d, "kind") == "ClusterRoleBinding");

        var granted = new HashSet<string>();
        foreach (var rule in Items(role, "rules"))
        {
            Assert.All(Strings(rule, "verbs"), verb => Assert.Contains(verb, new[] { "get", "list" }));
            foreach (var group in Strings(rule, "apiGroups"))
                foreach (var resource in Strings(rule, "resources"))
                    granted.Add(group.Length == 0 ? resource : $"{resource}.{group}");
        }
        Assert.Equal(new HashSet<string>
        {
            "secrets", "repositories.stash.appscode.com",
            "backupstorages.storage.kubestash.com", "repositories.storage.kubestash.com", "snapshots.storage.kubestash.com",
        }, granted);

        Assert.Equal(Text(role, "metadata", "name"), Text(binding, "roleRef", "name"));
        var subject = Items(binding, "subjects").Single();
        Assert.Equal(Text(account, "metadata", "name"), Text(subject, "name"));
        Assert.Equal(Text(account, "metadata", "namespace"), Text(subject, "namespace"));
    }

    [Fact]
    public void SidecarSharesTheMountWithTheAppThroughPropagation()
    {
        var deployment = Documents("sidecar.yaml").Single();
        var pod = At(deployment, "spec", "template", "spec")!;
        Assert.Equal("stashmount", Text(pod, "serviceAccountName"));
        var containers = Items(pod, "containers").ToList();
        var sidecar = containers.Single(c => Text(c, "name") == "stashmount");
        var app = containers.Single(c => Text(c, "name") != "stashmount");

        Assert.Contains("--k8s-repository", Strings(sidecar, "args"));
        Assert.Equal("true", Text(sidecar, "securityContext", "privileged"));
        Assert.Contains("SYS_ADMIN", Strings(sidecar, "securityContext", "capabilities", "add"));
        var shared = Items(sidecar, "volumeMounts").Single(m => Text(m, "mountPropagation") == "Bidirectional");
        var seen = Items(app, "volumeMounts").Single(m => Text(m, "name") == Text(shared, "name"));
        Assert.Equal("HostToContainer", Text(seen, "mountPropagation"));
        Assert.Null(Text(app, "securityContext", "privileged"));
        Assert.Contains("/dev/fuse", Items(sidecar, "volumeMounts").Select(m => Text(m, "mountPath")));

        var volumes = Items(pod, "volumes").ToList();
        Assert.NotNull(At(volumes.Single(v => Text(v, "name") == Text(shared, "name")), "emptyDir"));
        Assert.Contains(volumes, v => Text(v, "hostPath", "path") == "/dev/fuse" && Text(v, "hostPath", "type") == "CharDevice");
    }

    [Fact]
    public void DaemonSetMountsUnderAHostPathWithBidirectionalPropagation()
    {
        var daemonSet = Documents("daemonset.yaml").Single();
        Assert.Equal("DaemonSet", Text(daemonSet, "kind"));
        var pod = At(daemonSet, "spec", "template", "spec")!;
        Assert.Equal("stashmount", Text(pod, "serviceAccountName"));
        var hostVolume = Items(pod, "volumes").Single(v => Text(v, "hostPath", "path") == "/var/lib/stashmount");
        var containers = Items(pod, "containers").ToList();
        Assert.NotEmpty(containers);
        foreach (var container in containers)
        {
            var mount = Items(container, "volumeMounts").Single(m => Text(m, "name") == Text(hostVolume, "name"));
            Assert.Equal("Bidirectional", Text(mount, "mountPropagation"));
            Assert.Equal("true", Text(container, "securityContext", "privileged"));
            var script = string.Join(' ', Strings(container, "args"));
            Assert.Contains("stashmount mount", script);
            Assert.Contains(Text(mount, "mountPath")!, script);
        }
    }

    [Fact]
    public void DockerfileBuildsWithTheSdkAndRunsOnSlimDebianWithFuse()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.SourceRoot, "Dockerfile"));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", dockerfile);
        Assert.Contains("FROM debian:bookworm-slim", dockerfile);
        foreach (var package in new[] { "fuse3", "libzstd1", "ca-certificates" })
            Assert.Contains(package, dockerfile);
        Assert.Contains("ENTRYPOINT [\"stashmount\"]", dockerfile);
        Assert.Contains("USER 10001", dockerfile);
    }
}
