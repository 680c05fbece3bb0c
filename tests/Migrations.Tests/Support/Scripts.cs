namespace Migrations.Tests.Support;

/// <summary>The migrations embedded in Migrations.dll, by file name, in the order they must run.</summary>
internal static class Scripts
{
    public static readonly string[] InOrder =
    [
        "0001_chain_event.sql",
        "0002_workflow_state.sql",
        "0003_indexer_progress.sql",
        "0004_reader_role.sql",
        "0005_reorgs_and_writers.sql",
        "0006_determinism_proofs.sql",
        "0007_covering_list_index.sql",
        "0008_filter_and_timeline_indexes.sql",
        "0009_worker_stopped.sql",
    ];

    public static readonly string[] Tables =
    [
        "chain_event", "workflow_state", "sync_checkpoint", "indexer_status",
        "ingested_block", "reorg", "orphaned_event", "worker_instance", "determinism_proof",
    ];
}
