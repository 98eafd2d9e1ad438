using System.Text.Json.Nodes;

namespace StashMount.TestSupport.Kubernetes;

/// <summary>Stash and KubeStash objects shaped as the operators create them (layout note §1.2–1.4, §2.2–2.6).</summary>
public static class KubernetesObjects
{
    public const string StashApi = "stash.appscode.com/v1alpha1";
    public const string KubeStashApi = "storage.kubestash.com/v1alpha1";

    public static void AddStashRepository(FakeKubernetesApiServer server, string ns, string name, string backendJson) =>
        server.Add(StashApi, "repositories", ns, name, JsonNode.Parse(
            "{\"kind\":\"Repository\",\"spec\":{\"backend\":" + backendJson + ",\"usagePolicy\":{\"allowedNamespaces\":{\"from\":\"Same\"}}}}")!.AsObject());

    public static void AddS3Repository(FakeKubernetesApiServer server, string ns, string name, string secret, bool includePassword = true)
    {
        AddStashRepository(server, ns, name, $$"""
            {"s3":{"endpoint":"s3.amazonaws.com","bucket":"stash-demo","prefix":"/backup/demo","region":"us-west-1"},"storageSecretName":"{{secret}}"}
            """);
        var data = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLE", ["AWS_SECRET_ACCESS_KEY"] = "secret-key" };
        if (includePassword)
            data["RESTIC_PASSWORD"] = "pw";
        server.AddSecret(ns, secret, data);
    }

    public static void AddBackupStorage(FakeKubernetesApiServer server, string ns, string name, string provider, string blockJson, JsonArray? statusRepositories = null)
    {
        var body = JsonNode.Parse($$$"""
            {"kind":"BackupStorage","spec":{"storage":{"provider":"{{{provider}}}","{{{provider}}}":{{{blockJson}}}},"deletionPolicy":"Delete","default":true}}
            """)!.AsObject();
        if (statusRepositories is not null)
            body["status"] = new JsonObject { ["phase"] = "Ready", ["repositories"] = statusRepositories };
        server.Add(KubeStashApi, "backupstorages", ns, name, body);
    }

    public static void AddKubeStashRepository(FakeKubernetesApiServer server, string ns, string name, string storageNamespace, string storage, string path,
        string encryptionSecret, params string[] componentPaths)
    {
        var paths = new JsonArray();
        foreach (var p in componentPaths) paths.Add(p);
        server.Add(KubeStashApi, "repositories", ns, name, new JsonObject
        {
            ["kind"] = "Repository",
            ["spec"] = new JsonObject
            {
                ["appRef"] = new JsonObject { ["apiGroup"] = "apps", ["kind"] = "StatefulSet", ["name"] = "sample-sts", ["namespace"] = ns },
                ["storageRef"] = new JsonObject { ["name"] = storage, ["namespace"] = storageNamespace },
                ["path"] = path,
                ["encryptionSecret"] = new JsonObject { ["name"] = encryptionSecret, ["namespace"] = ns },
                ["deletionPolicy"] = "Delete",
            },
            ["status"] = new JsonObject { ["phase"] = "Ready", ["componentPaths"] = paths },
        });
    }

    /// <summary>A Snapshot with one restic snapshot ID per component; name &lt;repo&gt;-&lt;backupsession&gt; like KubeStash's.</summary>
    public static void AddKubeStashSnapshot(FakeKubernetesApiServer server, string ns, string repository, string session, string backupSession,
        IDictionary<string, string> resticIdByComponent)
    {
        var components = new JsonObject();
        foreach (var (component, id) in resticIdByComponent)
            components[component] = new JsonObject
            {
                ["path"] = $"repository/v1/{session}/{component}",
                ["phase"] = "Succeeded",
                ["driver"] = "Restic",
                ["resticStats"] = new JsonArray(new JsonObject { ["id"] = id, ["hostPath"] = "/source/data", ["size"] = "1 KiB" }),
            };
        var name = $"{repository}-{backupSession}";
        server.Add(KubeStashApi, "snapshots", ns, name, new JsonObject
        {
            ["kind"] = "Snapshot",
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["kubestash.com/repo-name"] = repository } },
            ["spec"] = new JsonObject
            {
                ["snapshotID"] = "01HV0000000000000000000000",
                ["type"] = "FullBackup",
                ["repository"] = repository,
                ["session"] = session,
                ["backupSession"] = backupSession,
                ["version"] = "v1",
            },
            ["status"] = new JsonObject { ["phase"] = "Succeeded", ["totalComponents"] = resticIdByComponent.Count, ["components"] = components },
        });
    }
}
