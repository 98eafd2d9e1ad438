namespace StashMount.Backends.Tests.Kubernetes;

/// <summary>Tests that start a loopback API server run one at a time: the machine is small and ports are shared.</summary>
[CollectionDefinition("Kubernetes API", DisableParallelization = true)]
public sealed class KubernetesApiCollection;
