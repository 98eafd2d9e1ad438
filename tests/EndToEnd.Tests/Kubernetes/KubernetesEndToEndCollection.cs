namespace StashMount.EndToEnd.Tests.Kubernetes;

/// <summary>These tests start a loopback API server and run restic and stashmount processes: one at a time.</summary>
[CollectionDefinition("Kubernetes end to end", DisableParallelization = true)]
public sealed class KubernetesEndToEndCollection;
