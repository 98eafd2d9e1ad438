using System.CommandLine;
using System.Runtime.InteropServices;
using StashMount.Backends;
using StashMount.Repository;
using StashMount.Repository.Locks;
using StashMount.Mount.Cli;
using StashMount.Mount.DataPath;
using StashMount.Mount.Filesystem;
using StashMount.Mount.Fuse;
using StashMount.Mount.Writable;

namespace StashMount.Mount.Commands;

/// <summary>
/// <c>mount MOUNTPOINT</c>: serves the repository's snapshots read-only over FUSE in the foreground until
/// Ctrl-C, SIGTERM or an unmount; then unmounts cleanly and exits 0.
/// </summary>
public static class MountCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var mountPoint = new Argument<string>("mountpoint") { Description = "empty directory to mount on" };
        var filter = new SnapshotFilterOptions();
        var snapshot = new Option<string?>("--snapshot") { Description = "mount only this snapshot (ID, prefix or latest), optionally ID:sub/dir" };
        var ownerRoot = new Option<bool>("--owner-root") { Description = "show every file as owned by root" };
        var allowOther = new Option<bool>("--allow-other") { Description = "let other users access the mount (adds default_permissions)" };
        var noDefaultPermissions = new Option<bool>("--no-default-permissions") { Description = "with --allow-other, do not let the kernel check permissions" };
        var refresh = new Option<string>("--refresh") { Description = "how often new snapshots are picked up (0 = never)", DefaultValueFactory = _ => "30s" };
        var cacheSize = new Option<string>("--cache-size") { Description = "memory for decrypted data blobs", DefaultValueFactory = _ => "512M" };
        var prefetch = new Option<string>("--prefetch") { Description = "how far ahead sequential reads are fetched (0 = off)", DefaultValueFactory = _ => "64M" };
        var connections = new Option<int>("--connections") { Description = "parallel backend requests", DefaultValueFactory = _ => 8 };
        var timeout = new Option<string>("--timeout") { Description = "longest wait for the backend before a read fails with EIO", DefaultValueFactory = _ => "60s" };
        var pathTemplates = new Option<string[]>("--path-template") { Description = "template for snapshot paths (%i %I %u %h %t %T), repeatable; default ids/%i snapshots/%T hosts/%h/%T tags/%t/%T", AllowMultipleArgumentsPerToken = false };
        var timeTemplate = new Option<string?>("--time-template") { Description = "Go time layout for %T (default 2006-01-02T15:04:05Z07:00, in UTC)" };
        var kubeStashStorage = new Option<string?>("--kubestash-storage") { Description = "mount every Repository of this KubeStash BackupStorage NAMESPACE/NAME" };
        var write = new WritableMountOptions();

        var command = new Command("mount", "Mount the repository's snapshots as a read-only filesystem");
        command.Add(mountPoint);
        filter.AddTo(command);
        foreach (var option in new Option[] { snapshot, ownerRoot, allowOther, noDefaultPermissions, refresh, cacheSize, prefetch, connections, timeout, pathTemplates, timeTemplate, kubeStashStorage })
            command.Add(option);
        write.AddTo(command);
        var diskCache = new DiskCacheOptions();
        diskCache.AddTo(command);

        command.SetContextAction(globals, async (context, cancellationToken) =>
        {
            var log = SynchronizedLog(context.Error);
            var options = new SnapshotMountOptions
            {
                Filter = filter.Read(context),
                Snapshot = context.Get(snapshot),
                OwnerRoot = context.Get(ownerRoot),
                PathTemplates = context.Get(pathTemplates) ?? [],
                TimeTemplate = MountTemplates.CheckTimeTemplate(context.Get(timeTemplate)),
                Refresh = MountSizes.ParseDuration(context.Get(refresh)!, "--refresh"),
                Data = new DataPathOptions
                {
                    CacheSizeBytes = MountSizes.ParseBytes(context.Get(cacheSize)!, "--cache-size"),
                    PrefetchBytes = MountSizes.ParseBytes(context.Get(prefetch)!, "--prefetch"),
                    Connections = Math.Max(1, context.Get(connections)),
                    Timeout = MountSizes.ParseDuration(context.Get(timeout)!, "--timeout"),
                },
            };
            var fuseOptions = new FuseMountOptions
            {
                AllowOther = context.Get(allowOther),
                DefaultPermissions = context.Get(allowOther) && !context.Get(noDefaultPermissions),
                Log = log,
            };
            var target = MountPointCheck.Validate(context.Get(mountPoint)!);
            if (context.Get(kubeStashStorage) is { } storage)
            {
                write.RefuseWith(context, "--kubestash-storage");
                return await KubeStashStorageMount.RunAsync(context, storage, options, fuseOptions, target, log, cancellationToken).ConfigureAwait(false);
            }

            diskCache.Apply(context, log);
            StashMount.Repository.Keys.KeyDerivation.ParallelLanes = 1; // a daemon's peak RSS, not its start, matters
            StashMount.Repository.Keys.KeyDerivation.TableDivisor = 4; // likewise: an 8 MiB scrypt table, not 32 MiB
            var repository = await context.OpenRepositoryAsync(loadIndex: false, cancellationToken).ConfigureAwait(false);
            // A non-exclusive lock, as restic mount takes: prune (exclusive) waits while snapshots are being read.
            // A conflict with an exclusive holder ends here with exit 11; storage that cannot take a lock file
            // (read-only volume or credentials) still mounts, with a warning.
            await using var repositoryLock = context.NoLock ? null : await TryLockAsync(repository, log, cancellationToken).ConfigureAwait(false);
            await using var writable = await write.OpenAsync(context, filter, repository, log, cancellationToken).ConfigureAwait(false);
            using var mount = await RepositoryMount.CreateAsync(repository, options, log, cancellationToken, writable?.Spool).ConfigureAwait(false);
            RuntimeMemory.TrimAfterStartup();
            using var session = FuseSession.Mount(mount.FileSystem, target, fuseOptions);
            using var stop = new CancellationTokenSource();
            using var signals = StopSignals(session, stop, () => Statistics(mount, message => log(message + diskCache.Statistics())));
            using var onCancel = cancellationToken.Register(session.RequestStop);
            context.Error.WriteLine($"Now serving the repository at {target}");
            context.Error.WriteLine("When finished, quit with Ctrl-c here or umount the mountpoint.");
            context.Error.Flush();

            var refreshing = mount.RefreshLoopAsync(stop.Token);
            writable?.Start(target, mount.RefreshAsync);
            await session.Completion.ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await refreshing.ConfigureAwait(false);
            // Unmounted (umount, Ctrl-C or SIGTERM): what new/ holds becomes a snapshot before the process exits.
            if (writable != null && !await writable.CommitAtExitAsync().ConfigureAwait(false))
                return ExitCodes.Failure;
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<RepositoryLock?> TryLockAsync(ResticRepository repository, Action<string> log, CancellationToken cancellationToken)
    {
        try
        {
            return await RepositoryLock.AcquireAsync(repository, exclusive: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException e)
        {
            log($"warning: cannot lock the repository ({e.Message}); mounting without a lock (--no-lock silences this)");
            return null;
        }
    }

    /// <summary>SIGINT, SIGTERM and SIGHUP unmount (the runtime's default would exit and leave a dead mount); SIGUSR1 logs statistics.</summary>
    internal static IDisposable StopSignals(FuseSession session, CancellationTokenSource stop, Action statistics)
    {
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
            session.RequestStop();
        }
        const PosixSignal sigusr1 = (PosixSignal)10;
        return new Registrations(
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop),
            PosixSignalRegistration.Create(sigusr1, signal => { signal.Cancel = true; statistics(); }),
        ]);
    }

    private sealed class Registrations(IReadOnlyList<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items) item.Dispose();
        }
    }

    private static void Statistics(RepositoryMount mount, Action<string> log)
    {
        var f = mount.Fetcher;
        log($"cache hits {f.Cache.Hits}, misses {f.Cache.Misses}, {f.Cache.Count} blobs / {f.Cache.Bytes >> 20} MiB held; "
            + $"buffers {f.Pool.LiveBytes >> 20} MiB live, {f.Pool.FreeBytes >> 20} MiB free; backend requests {f.BackendRequests}, {f.BackendBytes >> 20} MiB read; "
            + RuntimeMemory.Describe());
    }

    private static Action<string> SynchronizedLog(TextWriter error)
    {
        var gate = new Lock();
        return message =>
        {
            lock (gate)
            {
                error.WriteLine("stashmount: " + message);
                error.Flush();
            }
        };
    }
}
