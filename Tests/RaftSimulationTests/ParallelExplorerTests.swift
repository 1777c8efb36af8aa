import RaftCluster
import RaftCore
import Testing

@testable import RaftSimulation

/// The search on several threads against the search on one: the same states,
/// the same statistics, the same shortest counterexample, step for step.
@Suite(.timeLimit(.minutes(3)))
struct ParallelExplorerTests {
    static func options(
        servers: Int = 3, maxTerm: Int = 2, maxLog: Int = 1, maxInFlight: Int = 3, clients: Int = 1,
        crashes: Bool = false, drops: Bool = false, duplicates: Bool = false, symmetry: Bool = true
    ) -> ExploreOptions {
        var options = ExplorerTests.options(maxTerm: maxTerm, maxLog: maxLog, maxInFlight: maxInFlight, clients: clients)
        options.servers = servers
        options.crashes = crashes
        options.drops = drops
        options.duplicates = duplicates
        options.symmetry = symmetry
        return options
    }

    /// Spaces of 331 to 3787 states, small enough for a debug build.
    static let bounds: [ExploreOptions] = [
        options(maxLog: 0, clients: 0),
        options(maxTerm: 1),
        options(maxLog: 0, clients: 0, symmetry: false),
        options(servers: 2, maxTerm: 1, maxInFlight: 2, crashes: true, drops: true, duplicates: true),
        options(servers: 4, maxTerm: 1, maxLog: 0, maxInFlight: 4, clients: 0),
    ]

    static func explore(_ options: ExploreOptions, jobs: Int, unsafe: UnsafeVariant? = nil) throws -> Explorer.Report {
        var options = options
        options.jobs = jobs
        options.unsafe = unsafe
        var start = try Cluster(size: options.servers)
        if let unsafe { start.configure { $0.setUnsafe(unsafe, true) } }
        return try Explorer(options: options).explore(from: start)
    }

    @Test(arguments: bounds)
    func aSafeSpaceIsSearchedAlikeOnOneThreadOrSeveral(bounds: ExploreOptions) throws {
        let serial = try Self.explore(bounds, jobs: 1)
        #expect(serial.failure == nil)
        #expect(serial.statistics.distinct > 100)
        for jobs in [2] {
            let parallel = try Self.explore(bounds, jobs: jobs)
            #expect(parallel.failure == nil)
            #expect(!parallel.stoppedAtMemoryLimit)
            #expect(parallel.statistics.distinct == serial.statistics.distinct)
            #expect(parallel.statistics.generated == serial.statistics.generated)
            #expect(parallel.statistics.unreduced == serial.statistics.unreduced)
            #expect(parallel.statistics.depth == serial.statistics.depth)
        }
    }

    static let unsafeBounds: [(UnsafeVariant, ExploreOptions)] = [
        (.voteTwice, options(maxTerm: 1, maxLog: 0, maxInFlight: 4, clients: 0)),
        (.keepStaleTerm, options()),
        (.noUpToDateCheck, options()),
        (.truncateAlways, options()),
        (.voteTwice, options(servers: 2, maxTerm: 1, maxLog: 0, maxInFlight: 2, clients: 0, crashes: true, drops: true, duplicates: true)),
    ]

    /// The counterexample is the very one the serial search finds, not only as short.
    @Test(arguments: unsafeBounds)
    func aViolationHasTheSameShortestCounterexampleOnOneThreadOrSeveral(variant: UnsafeVariant, bounds: ExploreOptions) throws {
        let serial = try Self.explore(bounds, jobs: 1, unsafe: variant)
        let expected = try #require(serial.failure)
        for jobs in [2, 4] {
            let parallel = try Self.explore(bounds, jobs: jobs, unsafe: variant)
            let failure = try #require(parallel.failure)
            #expect(failure.steps == expected.steps)
            #expect(failure.violation == expected.violation)
            #expect(parallel.statistics.distinct == serial.statistics.distinct)
            #expect(parallel.statistics.generated == serial.statistics.generated)
            #expect(parallel.statistics.depth == serial.statistics.depth)
        }
    }

    /// A search that reaches its memory limit stops with what it searched so
    /// far, short of the whole space (341 132 states), on one thread or several.
    @Test(arguments: [1, 2])
    func theMemoryLimitStopsTheSearchEarly(jobs: Int) throws {
        var bounds = Self.options(maxInFlight: 4)
        bounds.memoryLimit = 2 << 20
        let stopped = try Self.explore(bounds, jobs: jobs)
        #expect(stopped.stoppedAtMemoryLimit)
        #expect(stopped.failure == nil)
        #expect(stopped.statistics.distinct > 1000)
        #expect(stopped.statistics.distinct < 341_132)
        #expect(stopped.statistics.memory > 1 << 20)
        #expect(stopped.statistics.memory <= 2 << 20)
    }

    @Test func aWholeSearchSaysWhatItsTablesHold() throws {
        let whole = try Self.explore(Self.options(), jobs: 1)
        #expect(!whole.stoppedAtMemoryLimit)
        // At least the fingerprint set (16 Ki slots of 8 bytes for 8198 states) and their origins (8 bytes each).
        #expect(whole.statistics.distinct == 8198)
        #expect(whole.statistics.memory >= (16 << 10) * 8 + 8198 * 8)
        #expect(whole.statistics.memory < 1 << 20)
    }
}
