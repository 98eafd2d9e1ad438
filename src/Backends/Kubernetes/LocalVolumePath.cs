using System.Text.Json;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Where a "local" backend's files are from here. Stash and KubeStash mount the volume at mountPath (with
/// subPath applied), which is right inside a pod that mounts the same volume (a sidecar). On a node, a hostPath
/// volume's files are at hostPath.path/subPath instead, so that is used when mountPath does not exist here.
/// </summary>
internal static class LocalVolumePath
{
    public static string Choose(JsonElement localBlock, string mountPath, string directory)
    {
        var inPod = ResticRepositoryStrings.Local(mountPath, directory);
        if (localBlock.String("hostPath", "path") is not { } hostPath || Directory.Exists("/" + ResticRepositoryStrings.JoinPath(mountPath)))
            return inPod;
        return ResticRepositoryStrings.Local(ResticRepositoryStrings.JoinPath(hostPath, localBlock.String("subPath")), directory);
    }
}
