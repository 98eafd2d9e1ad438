namespace StashMount.EndToEnd.Tests.Backends;

/// <summary>These tests start storage servers and run restic and stashmount processes: one at a time.</summary>
[CollectionDefinition("Backends end to end", DisableParallelization = true)]
public sealed class BackendsEndToEndCollection;
