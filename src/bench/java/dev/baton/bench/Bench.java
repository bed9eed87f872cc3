package dev.baton.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point: {@code Bench <workload> <maven target dir> [key=value ...]} where workload is
 * transfer | delivery | revocation | cross-replica | routing | webhooks | whatsapp | all | smoke. Each workload starts its own
 * PostgreSQL and service instance(s), runs for a bounded time, prints a Markdown table and
 * appends it to {@code target/bench/results.md}.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String workload = args[0];
        Path target = Path.of(args[1]);
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
        if (workload.equals("smoke")) {
            rest.add(0, "smoke=true");
            workload = "all";
        }
        Config config = Config.parse(rest.toArray(String[]::new));
        List<String> workloads = workload.equals("all") ? List.of("transfer", "delivery", "revocation", "cross-replica", "webhooks") : List.of(workload);
        int exit = 0;
        for (String w : workloads) {
            Path work = target.resolve("bench").resolve(w);
            try (Env env = new Env(config, work)) {
                System.out.println("== " + w + (config.smoke() ? " (smoke)" : "") + " — " + env.machine());
                String table = switch (w) {
                    case "transfer" -> new TransferBench(env, target).run();
                    case "delivery" -> new DeliveryBench(env, target).runDelivery();
                    case "revocation" -> new DeliveryBench(env, target).runRevocation();
                    case "cross-replica" -> new DeliveryBench(env, target).runCrossReplica();
                    case "routing" -> new RoutingBench(env, target).run();
                    case "webhooks" -> new WebhookBench(env, target).run();
                    case "whatsapp" -> new DeliveryBench(env, target).runWhatsApp();
                    default -> throw new IllegalArgumentException("unknown workload " + w
                            + " (transfer | delivery | revocation | cross-replica | routing | webhooks | whatsapp | all | smoke)");
                };
                String report = "\n### " + w + (config.smoke() ? " (smoke)" : "") + " — " + Instant.now() + "\n\n" + env.machine()
                        + "\n\n" + table + "\n";
                System.out.println(report);
                Files.writeString(target.resolve("bench").resolve("results.md"), report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (Exception e) {
                System.err.println("workload " + w + " failed: " + e);
                e.printStackTrace();
                exit = 1;
            }
        }
        System.exit(exit);
    }

    /** A Markdown table. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        Table row(Object... cells) {
            rows.add(Arrays.stream(cells).map(Table::format).toArray(String[]::new));
            return this;
        }

        private static String format(Object cell) {
            if (cell instanceof Double d) {
                return d.isNaN() ? "–" : d >= 100 ? String.format("%.0f", d) : String.format("%.2f", d);
            }
            return String.valueOf(cell);
        }

        @Override
        public String toString() {
            int columns = rows.get(0).length;
            int[] width = new int[columns];
            for (String[] r : rows) {
                for (int i = 0; i < columns; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            StringBuilder out = new StringBuilder();
            for (int n = 0; n < rows.size(); n++) {
                String[] r = rows.get(n);
                out.append('|');
                for (int i = 0; i < columns; i++) {
                    out.append(' ').append(String.format("%-" + width[i] + "s", r[i])).append(" |");
                }
                out.append('\n');
                if (n == 0) {
                    out.append('|');
                    for (int i = 0; i < columns; i++) {
                        out.append(' ').append("-".repeat(width[i])).append(" |");
                    }
                    out.append('\n');
                }
            }
            return out.toString();
        }
    }
}
