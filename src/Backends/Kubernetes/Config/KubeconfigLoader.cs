using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Builds a <see cref="KubernetesEndpoint"/> from kubeconfig files the way kubectl merges them: for every name
/// (context, cluster, user) the first file that defines it wins, and current-context comes from the first file
/// that sets it. Supports token, tokenFile, client certificate/key (data or file), CA (data or file),
/// insecure-skip-tls-verify and exec plugins; username/password and legacy auth-provider are refused clearly.
/// </summary>
public static class KubeconfigLoader
{
    public static KubernetesEndpoint Load(IReadOnlyList<string> paths, string? context)
    {
        var files = paths.Where(File.Exists).Select(KubeconfigFile.Load).ToList();
        if (files.Count == 0)
            throw new KubernetesApiException($"kubeconfig {string.Join(':', paths)} does not exist");
        var source = string.Join(':', files.Select(f => f.Path));

        var contextName = context ?? files.Select(f => f.CurrentContext).FirstOrDefault(c => c is not null)
            ?? throw new KubernetesApiException($"kubeconfig {source} sets no current-context: pass --context");
        var (contextNode, _) = Find(files, "contexts", contextName, "context")
            ?? throw new KubernetesApiException($"kubeconfig {source} has no context \"{contextName}\"");
        var clusterName = KubeconfigFile.Scalar(contextNode, "cluster")
            ?? throw new KubernetesApiException($"context \"{contextName}\" in {source} names no cluster");
        var (cluster, clusterFile) = Find(files, "clusters", clusterName, "cluster")
            ?? throw new KubernetesApiException($"kubeconfig {source} has no cluster \"{clusterName}\" (named by context \"{contextName}\")");
        var userName = KubeconfigFile.Scalar(contextNode, "user");
        var user = userName is null ? null : Find(files, "users", userName, "user");
        if (userName is not null && user is null)
            throw new KubernetesApiException($"kubeconfig {source} has no user \"{userName}\" (named by context \"{contextName}\")");

        var what = $"kubeconfig {source}, context \"{contextName}\"";
        var server = KubeconfigFile.Scalar(cluster, "server")
            ?? throw new KubernetesApiException($"cluster \"{clusterName}\" in {source} has no server");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri))
            throw new KubernetesApiException($"cluster \"{clusterName}\" in {source} has an invalid server URL \"{server}\"");

        var insecure = string.Equals(KubeconfigFile.Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase);
        var caPem = ReadDataOrFile(cluster, "certificate-authority-data", "certificate-authority", clusterFile, what);
        var roots = caPem is null || insecure ? null : PemCertificates.LoadTrusted(caPem, $"the certificate authority of cluster \"{clusterName}\"");

        X509Certificate2? clientCertificate = null;
        IBearerTokenSource? token = null;
        if (user is var (userNode, userFile))
        {
            var certPem = ReadDataOrFile(userNode, "client-certificate-data", "client-certificate", userFile, what);
            var keyPem = ReadDataOrFile(userNode, "client-key-data", "client-key", userFile, what);
            if (certPem is not null && keyPem is not null)
                clientCertificate = PemCertificates.LoadClient(certPem, keyPem, what);
            else if (certPem is not null || keyPem is not null)
                throw new KubernetesApiException($"user \"{userName}\" in {source} has a client certificate without a key, or a key without a certificate");
            token = TokenSource(userNode, userFile, what);
            if (token is null && clientCertificate is null && KubeconfigFile.Child(userNode, "auth-provider") is not null)
                throw new KubernetesApiException($"user \"{userName}\" in {source} uses a legacy auth-provider, which is not supported: use an exec plugin");
            if (token is null && clientCertificate is null && KubeconfigFile.Scalar(userNode, "username") is not null)
                throw new KubernetesApiException($"user \"{userName}\" in {source} uses basic authentication, which is not supported");
        }

        var defaultNamespace = KubeconfigFile.Scalar(contextNode, "namespace") ?? "default";
        return new KubernetesEndpoint(serverUri, roots, insecure, clientCertificate, token, defaultNamespace, what);
    }

    private static (YamlMappingNode Node, KubeconfigFile File)? Find(List<KubeconfigFile> files, string list, string name, string body)
    {
        foreach (var file in files)
            if (file.FindNamed(list, name, body) is { } node)
                return (node, file);
        return null;
    }

    private static IBearerTokenSource? TokenSource(YamlMappingNode user, KubeconfigFile file, string what)
    {
        if (KubeconfigFile.Scalar(user, "token") is { } token)
            return new StaticBearerToken(token);
        if (KubeconfigFile.Scalar(user, "tokenFile") is { } tokenFile)
            return new FileBearerToken(file.ResolvePath(tokenFile));
        if (KubeconfigFile.Child(user, "exec") is not YamlMappingNode exec)
            return null;

        var command = KubeconfigFile.Scalar(exec, "command") ?? throw new KubernetesApiException($"the exec plugin in {what} has no command");
        // Like kubectl: a relative command containing a slash is relative to the kubeconfig file; a bare name is looked up on PATH.
        if (command.Contains('/') && !Path.IsPathRooted(command))
            command = file.ResolvePath(command);
        var arguments = KubeconfigFile.Child(exec, "args") is YamlSequenceNode args
            ? args.OfType<YamlScalarNode>().Select(a => a.Value ?? "").ToList()
            : [];
        var environment = new Dictionary<string, string>();
        if (KubeconfigFile.Child(exec, "env") is YamlSequenceNode env)
            foreach (var entry in env.OfType<YamlMappingNode>())
                if (KubeconfigFile.Scalar(entry, "name") is { } name)
                    environment[name] = KubeconfigFile.Scalar(entry, "value") ?? "";
        return new ExecCredentialPlugin(command, arguments, environment, KubeconfigFile.Scalar(exec, "apiVersion"));
    }

    /// <summary>A PEM value given inline as base64 (the *-data key) or as a file path (relative to the kubeconfig).</summary>
    private static string? ReadDataOrFile(YamlMappingNode node, string dataKey, string fileKey, KubeconfigFile file, string what)
    {
        if (KubeconfigFile.Scalar(node, dataKey) is { } data)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubernetesApiException($"{dataKey} in {what} is not valid base64", inner: e);
            }
        }
        if (KubeconfigFile.Scalar(node, fileKey) is not { } path)
            return null;
        var full = file.ResolvePath(path);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesApiException($"cannot read {fileKey} {full} named in {what}: {e.Message}", inner: e);
        }
    }
}
