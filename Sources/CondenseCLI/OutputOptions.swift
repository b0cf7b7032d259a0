import ArgumentParser

/// Where the run goes, and how it starts (new, `--from`, `--resume`).
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The run file to write (default run.h5).", valueName: "output"))
    var outputPath: String?

    /// The run file to write. (Optional underneath so that `--resume` can tell whether -o was given.)
    var output: String { outputPath ?? "run.h5" }

    @Flag(help: "Overwrite the output file if it exists.")
    var force = false

    @Option(help: ArgumentHelp("Re-run the configuration stored in this run file (options given here override it).",
                               valueName: "run.h5"))
    var from: String?

    @Option(help: ArgumentHelp("Continue this run file from its last snapshot, as it was configured: only --steps (a larger total), --threads, --live, --sync-snapshots, --checkpoint-every, --quiet and --progress may go with it; any other option is refused (use --from to start a changed run).",
                               valueName: "run.h5"))
    var resume: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Compress the weight datasets with deflate at this level (0-9); slower snapshots.",
                               valueName: "level"))
    var compress: Int?

    /// Every run file is written live now; the flag is kept so that scripts written for it keep working (it asks
    /// for what every run does), and with `--resume` it still refuses a file of an older condense that cannot be
    /// followed.
    @Flag(help: ArgumentHelp("Every run is live (HDF5 SWMR: `condense analyze --follow` or h5py with swmr=True can read it while it trains; HDF5 ≥ 1.10 reads it): accepted for older scripts. With --resume: refuse a run file of an older condense that cannot be written live, instead of appending to it plainly."))
    var live = false

    @Flag(help: ArgumentHelp("Put each snapshot, with the optimizer state, in the file before training goes on. By default a writer thread writes snapshots while training continues: a stop on SIGINT/SIGTERM, divergence or the last step still writes them all, but a SIGKILL loses the few not yet flushed."))
    var syncSnapshots = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Store the optimizer state (what --resume continues from) with a snapshot at most every this many seconds of training, and always with the first and last; 0: with every snapshot. States of at most 1 MiB (networks up to ~65 000 parameters with Adam) go with every snapshot anyway. A run killed outright resumes from the last stored state and computes the snapshots after it again, bit for bit.",
                               valueName: "seconds"))
    var checkpointEvery: Double = 1

    @Option(parsing: .unconditional, help: "Threads that share each training step (default: all cores; BLAS runs on one thread inside each).")
    var threads: Int?

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    @Option(help: ArgumentHelp("How to show progress on stderr: terminal (one overwriting line), lines (a plain line every 30 s, for batch logs such as a Slurm job's), none, or auto (terminal when stderr is one, else lines; the default). Not with --seeds, whose runs each print a summary as they end.", valueName: "mode"))
    var progress: ProgressMode?

    func validate() throws {
        if from != nil && resume != nil { throw ValidationError("--from and --resume cannot be combined") }
        if !checkpointEvery.isFinite || checkpointEvery < 0 {
            throw ValidationError("--checkpoint-every must be a number of seconds ≥ 0 (got \(checkpointEvery))")
        }
    }
}
