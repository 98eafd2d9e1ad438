namespace StashMount.EndToEnd.Tests.Kubernetes;

/// <summary>The YAML files KubeStash writes into a BackupStorage (layout note §2.7), as the operator would write them.</summary>
internal static class KubeStashYaml
{
    public static string Metadata(params (string Name, string Path)[] repositories) =>
        """
        apiVersion: config.kubestash.com/v1alpha1
        kind: BackendMeta
        creationTimestamp: "2026-11-29T10:00:00Z"
        operatorVersion: v2026.11.1
        repositories:

        """ + string.Concat(repositories.Select(r => $"- name: {r.Name}\n  namespace: demo\n  path: {r.Path}\n  size: 1 MiB\n  synced: true\n"));

    public static string Repository(string name, string path, string encryptionSecret) => $"""
        apiVersion: storage.kubestash.com/v1alpha1
        kind: Repository
        metadata:
          name: {name}
          namespace: demo
        spec:
          appRef:
            apiGroup: apps
            kind: StatefulSet
            name: {name}-app
            namespace: demo
          storageRef:
            name: s3-storage
            namespace: demo
          path: {path}
          encryptionSecret:
            name: {encryptionSecret}
            namespace: demo
          deletionPolicy: Delete
        status:
          phase: Ready
        """;

    public static string Snapshot(string repository, string session, string name, params (string Component, string Id)[] components) => $"""
        apiVersion: storage.kubestash.com/v1alpha1
        kind: Snapshot
        metadata:
          name: {name}
          namespace: demo
          labels:
            kubestash.com/repo-name: {repository}
        spec:
          repository: {repository}
          session: {session}
          version: v1
          snapshotID: 01HV0000000000000000000000
          type: FullBackup
        status:
          phase: Succeeded
          totalComponents: {components.Length}
          components:

        """ + string.Concat(components.Select(c =>
            $"    {c.Component}:\n      path: repository/v1/{session}/{c.Component}\n      phase: Succeeded\n      driver: Restic\n      resticStats:\n      - id: {c.Id}\n        hostPath: /data\n        size: 1 MiB\n"));
}
