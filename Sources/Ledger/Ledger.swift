import Foundation
import GRDB

/// The hub's index of everything, in one SQLite file (`forkboard.sqlite`, WAL mode):
/// teams, members and hashed tokens, submissions, evaluations (which double as the durable
/// job queue), scores and measured run times. Git stays the source of truth for code.
///
/// Safe to share between tasks and threads; several processes (the server and the git hooks
/// it starts) may open the same file at once.
public final class Ledger: Sendable {
    /// The underlying GRDB pool: the ledger's own functions are the way in; the package's
    /// benchmarks and tests alone reach it (to make ledgers of many submissions quickly).
    package let database: DatabasePool

    /// Opens (creating if needed) the ledger at `path` and brings its schema up to date.
    /// - Throws: a GRDB `DatabaseError` when the file cannot be opened or migrated.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-foundation") { db in
            try db.create(table: "teams") { table in
                table.primaryKey("name", .text)
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "members") { table in
                table.primaryKey("login", .text)
                table.column("team", .text).notNull().references("teams")
                table.column("tokenSHA256", .text).notNull()
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "submissions") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("team", .text).notNull().references("teams")
                table.column("name", .text).notNull()
                table.column("commitID", .text).notNull()
                table.column("pusher", .text).notNull()
                table.column("submittedAt", .datetime).notNull()
                table.uniqueKey(["team", "name"])
            }
            try db.create(table: "evaluations") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("submissionID", .integer).notNull().references("submissions", onDelete: .cascade)
                table.column("question", .text).notNull()
                table.column("state", .text).notNull()
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.column("leaseOwner", .text)
                table.column("leaseExpiresAt", .datetime)
                table.column("queuedAt", .datetime).notNull()
                table.column("startedAt", .datetime)
                table.column("finishedAt", .datetime)
                table.column("log", .text)
                table.column("trainSeconds", .double)
                table.column("testSeconds", .double)
                table.uniqueKey(["submissionID", "question"])
            }
            try db.create(index: "evaluations_by_state", on: "evaluations", columns: ["state", "id"])
            try db.create(table: "fold_scores") { table in
                table.column("evaluationID", .integer).notNull().references("evaluations", onDelete: .cascade)
                table.column("fold", .integer).notNull()
                table.column("split", .text).notNull()
                table.column("scoreType", .text).notNull()
                table.column("value", .double).notNull()
                table.primaryKey(["evaluationID", "fold", "split", "scoreType"])
            }
            try db.create(table: "bagged_scores") { table in
                table.column("evaluationID", .integer).notNull().references("evaluations", onDelete: .cascade)
                table.column("split", .text).notNull()
                table.column("scoreType", .text).notNull()
                table.column("value", .double).notNull()
                table.primaryKey(["evaluationID", "split", "scoreType"])
            }
            try db.create(table: "fold_runs") { table in
                table.column("evaluationID", .integer).notNull().references("evaluations", onDelete: .cascade)
                table.column("fold", .integer).notNull()
                table.column("trainSeconds", .double).notNull()
                table.column("testSeconds", .double).notNull()
                table.primaryKey(["evaluationID", "fold"])
            }
        }
        migrator.registerMigration("2-resources") { db in
            try db.alter(table: "fold_runs") { table in
                table.add(column: "trainCPUSeconds", .double)
                table.add(column: "testCPUSeconds", .double)
                table.add(column: "trainPeakMemoryBytes", .integer)
                table.add(column: "testPeakMemoryBytes", .integer)
            }
        }
        migrator.registerMigration("3-phases") { db in
            try db.alter(table: "submissions") { table in
                table.add(column: "phase", .text)
                table.add(column: "description", .text)
            }
            try db.alter(table: "evaluations") { table in
                table.add(column: "hubFault", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "phase_overrides") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("phase", .text)
                table.column("setBy", .text).notNull()
                table.column("setAt", .datetime).notNull()
            }
            try db.create(table: "reveals") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("revealedBy", .text).notNull()
                table.column("revealedAt", .datetime).notNull()
            }
            try db.create(table: "lineage") { table in
                table.column("submissionID", .integer).notNull().references("submissions", onDelete: .cascade)
                table.column("ancestorID", .integer).notNull().references("submissions", onDelete: .cascade)
                table.primaryKey(["submissionID", "ancestorID"])
            }
        }
        migrator.registerMigration("4-credit") { db in
            try db.create(table: "contributivity") { table in
                table.primaryKey("evaluationID", .integer).references("evaluations", onDelete: .cascade)
                table.column("value", .double).notNull()
                table.column("historical", .double)
                table.column("computedAt", .datetime).notNull()
            }
            try db.create(table: "combined_scores") { table in
                table.column("question", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("split", .text).notNull()
                table.column("scoreType", .text).notNull()
                table.column("value", .double).notNull()
                table.primaryKey(["question", "kind", "split", "scoreType"])
            }
            try db.create(table: "credit_shares") { table in
                table.column("submissionID", .integer).notNull().references("submissions", onDelete: .cascade)
                table.column("owner", .text).notNull()
                table.column("fraction", .double).notNull()
                table.column("source", .text).notNull()
                table.primaryKey(["submissionID", "owner"])
            }
        }
        migrator.registerMigration("5-audit") { db in
            try db.create(table: "audit_log") { table in
                table.primaryKey("id", .integer)
                table.column("at", .datetime).notNull()
                table.column("actor", .text).notNull()
                table.column("action", .text).notNull()
                table.column("team", .text)
                table.column("detail", .text).notNull()
                table.column("previousHash", .text).notNull()
                table.column("hash", .text).notNull()
            }
        }
        migrator.registerMigration("6-provenance") { db in
            try db.create(table: "evaluation_provenance") { table in
                table.primaryKey("evaluationID", .integer).references("evaluations", onDelete: .cascade)
                table.column("environment", .text).notNull()
                table.column("recordedAt", .datetime).notNull()
            }
            try db.create(table: "score_history") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("evaluationID", .integer).notNull().references("evaluations", onDelete: .cascade)
                table.column("archivedAt", .datetime).notNull()
                table.column("state", .text).notNull()
                table.column("scores", .text).notNull()
            }
        }
        migrator.registerMigration("7-starting-kit-credit") { db in
            try db.create(table: "starting_kit_credit") { table in
                table.primaryKey("question", .text)
                table.column("historical", .double).notNull()
            }
        }
        migrator.registerMigration("8-many-workers") { db in
            try db.alter(table: "evaluations") { table in
                table.add(column: "worker", .text)
                table.add(column: "rankingKey", .double)
                table.add(column: "hubFailures", .integer).notNull().defaults(to: 0)
                table.add(column: "interruptions", .integer).notNull().defaults(to: 0)
            }
            // A team's submission whose files equal an earlier one's is refused: its tree is kept.
            try db.alter(table: "submissions") { table in table.add(column: "treeID", .text) }
            try db.create(index: "submissions_by_tree", on: "submissions", columns: ["team", "treeID"])
            // A push's lineage looks its history's commits up; leaderboards read one
            // question's ranked evaluations a page at a time.
            try db.create(index: "submissions_by_commit", on: "submissions", columns: ["commitID"])
            try db.create(index: "lineage_by_ancestor", on: "lineage", columns: ["ancestorID"])
            try db.execute(
                sql: """
                    CREATE INDEX evaluations_ranked ON evaluations(question, rankingKey, id) WHERE rankingKey IS NOT NULL;
                    CREATE INDEX evaluations_unranked ON evaluations(question, id) WHERE rankingKey IS NULL;
                    CREATE INDEX evaluations_running ON evaluations(leaseExpiresAt) WHERE state IN ('training', 'testing');
                    """)
            try db.create(table: "ranking_specifications") { table in
                table.primaryKey("question", .text)
                table.column("scoreType", .text).notNull()
                table.column("split", .text).notNull()
                table.column("lowerIsBetter", .boolean).notNull()
            }
            try db.create(table: "submission_reservations") { table in
                table.column("team", .text).notNull()
                table.column("name", .text).notNull()
                table.column("pusher", .text).notNull()
                table.column("phase", .text)
                table.column("reservedAt", .datetime).notNull()
                table.column("treeID", .text)
                table.primaryKey(["team", "name"])
            }
            try db.create(table: "service_leases") { table in
                table.primaryKey("name", .text)
                table.column("owner", .text).notNull()
                table.column("expiresAt", .datetime).notNull()
            }
            try db.create(table: "counters") { table in
                table.primaryKey("name", .text)
                table.column("value", .integer).notNull()
            }
            // Credit shares are measured or declared, and one owner may have both.
            try db.drop(table: "credit_shares")
            try db.create(table: "credit_shares") { table in
                table.column("submissionID", .integer).notNull().references("submissions", onDelete: .cascade)
                table.column("owner", .text).notNull()
                table.column("fraction", .double).notNull()
                table.column("source", .text).notNull()
                table.primaryKey(["submissionID", "source", "owner"])
            }
            try db.create(table: "challenge_configurations") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("sha256", .text).notNull()
                table.column("text", .text).notNull()
                table.column("appliedAt", .datetime).notNull()
                table.column("appliedBy", .text).notNull()
            }
        }
        migrator.registerMigration("9-code-fingerprints") { db in
            // A copy differing only by a comment is the same code: refused as the same tree was.
            try db.alter(table: "submissions") { table in table.add(column: "codeFingerprint", .text) }
            try db.create(index: "submissions_by_code", on: "submissions", columns: ["team", "codeFingerprint"])
            try db.alter(table: "submission_reservations") { table in table.add(column: "codeFingerprint", .text) }
        }
        migrator.registerMigration("10-batch-jobs") { db in
            // The batch scheduler's job of an evaluation (a Slurm job id), kept across restarts.
            try db.alter(table: "evaluations") { table in table.add(column: "executorJobID", .text) }
        }
        migrator.registerMigration("11-final-selection") { db in
            // Kaggle's final selection: the submissions whose private scores count for a team.
            try db.create(table: "final_selections") { table in
                table.column("submissionID", .integer).primaryKey().references("submissions")
                table.column("team", .text).notNull().indexed()
                table.column("selectedAt", .datetime).notNull()
                table.column("selectedBy", .text).notNull()
            }
        }
        migrator.registerMigration("12-hub-state") { db in
            // Small facts the hub's services keep across restarts (the phase last announced).
            try db.create(table: "hub_state") { table in
                table.column("key", .text).primaryKey()
                table.column("value", .text).notNull()
            }
        }
        migrator.registerMigration("13-organisers-and-credit-by-owner") { db in
            // Organisers' logins are members of the reserved team `organisers` (no team list
            // shows it, no repository serves it).
            try db.execute(sql: "INSERT OR IGNORE INTO teams (name, createdAt) VALUES (?, ?)", arguments: [MemberRecord.organisersTeam, Date()])
            // A submission's page lists the credit it receives: the shares naming it as owner.
            try db.create(index: "credit_shares_by_owner", on: "credit_shares", columns: ["owner"])
        }
        migrator.registerMigration("14-score-history-by-evaluation") { db in
            // A submission's page and API show each evaluation's earlier results.
            try db.create(index: "score_history_by_evaluation", on: "score_history", columns: ["evaluationID"])
        }
        migrator.registerMigration("15-evaluation-tasks") { db in
            // The sandboxed runs of an evaluation that any worker may take (test shards run in
            // parallel), each with its own lease.
            try db.create(table: "evaluation_tasks") { table in
                table.column("evaluationID", .integer).notNull().references("evaluations", onDelete: .cascade)
                table.column("task", .text).notNull()
                table.column("position", .integer).notNull()
                table.column("dependsOn", .text)
                table.column("state", .text).notNull()
                table.column("leaseOwner", .text)
                table.column("leaseExpiresAt", .datetime)
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.primaryKey(["evaluationID", "task"])
            }
            try db.create(index: "evaluation_tasks_by_state", on: "evaluation_tasks", columns: ["state", "evaluationID", "position"])
        }
        return migrator
    }
}
