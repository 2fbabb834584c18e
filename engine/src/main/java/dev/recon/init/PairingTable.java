package dev.recon.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code recon init --dry-run}: the pairing as a table for people, instead of a file. */
public final class PairingTable {
    private PairingTable() {
    }

    public static String render(Survey survey) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"source", "target", "confidence", "next"});
        for (Pairing.TablePair p : survey.pairs()) {
            rows.add(new String[] {p.source().name(), p.target().name(), MappingFile.score(p.confidence()),
                guess(p.next())});
            for (Pairing.ColumnPair c : p.columns()) {
                rows.add(new String[] {"  " + c.source(), "  " + c.target() + (p.target().key().contains(c.target())
                        ? " (key)" : ""), MappingFile.score(c.confidence()), guess(c.next())});
            }
            for (Pairing.Refusal r : p.refused()) {
                rows.add(new String[] {"  " + r.source(), "  " + r.target(), "refused", r.why()});
            }
            p.unpairedSource().forEach(c -> rows.add(new String[] {"  " + c, "  -", "", ""}));
            p.unpairedTarget().forEach(c -> rows.add(new String[] {"  -", "  " + c, "", ""}));
        }
        survey.pairing().unpairedSource().forEach(t -> rows.add(new String[] {t, "-", "", ""}));
        survey.pairing().unpairedTarget().forEach(t -> rows.add(new String[] {"-", t, "", ""}));
        int[] width = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < 3; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(survey.sourceSchema()).append(" (").append(survey.source().name()).append(") -> ")
                .append(survey.targetSchema()).append(" (").append(survey.target().name()).append("): ")
                .append(survey.pairs().size()).append(survey.pairs().size() == 1 ? " table pair" : " table pairs")
                .append(", ").append(survey.pairs().stream().mapToInt(p -> p.columns().size()).sum())
                .append(" column pairs\n");
        for (String[] row : rows) {
            String line = String.format(Locale.ROOT, "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2]
                    + "s  %s", (Object[]) row);
            out.append(line.stripTrailing()).append("\n");
        }
        return out.toString();
    }

    private static String guess(java.util.Optional<Pairing.Guess> next) {
        return next.map(g -> g.name() + " " + MappingFile.score(g.score())).orElse("-");
    }
}
