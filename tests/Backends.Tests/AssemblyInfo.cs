// Server-backed tests start real peers (rclone, s3rver, azurite): one at a time keeps a 2-core machine responsive.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
