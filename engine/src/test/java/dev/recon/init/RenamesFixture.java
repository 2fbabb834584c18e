package dev.recon.init;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fixture of real-world renames ({@code init/renames.txt}): the two schemas as
 * {@link Pairing.Table}s, and the expected pairs of tables ({@code source -> target}) and of
 * columns ({@code source.column -> target.column}).
 */
record RenamesFixture(List<Pairing.Table> sources, List<Pairing.Table> targets, Set<String> tablePairs,
        Set<String> columnPairs) {
    static RenamesFixture load() {
        String text;
        try (InputStream in = RenamesFixture.class.getResourceAsStream("/init/renames.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, List<Pairing.Column>> sources = new LinkedHashMap<>();
        Map<String, List<Pairing.Column>> targets = new LinkedHashMap<>();
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Set<String> tablePairs = new LinkedHashSet<>();
        Set<String> columnPairs = new LinkedHashSet<>();
        String source = null;
        String target = null;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("table ")) {
                String[] sides = line.substring(6).split(" -> ");
                source = sides[0].trim();
                target = sides[1].trim();
                if (!source.equals("-")) {
                    sources.put(source, new ArrayList<>());
                }
                if (!target.equals("-")) {
                    targets.put(target, new ArrayList<>());
                    keys.put(target, new ArrayList<>());
                }
                if (!source.equals("-") && !target.equals("-")) {
                    tablePairs.add(source + " -> " + target);
                }
                continue;
            }
            String[] sides = line.trim().split(" -> ");
            String[] left = sides[0].trim().split(" ", 2);
            String[] right = sides[1].trim().split(" ", 2);
            if (!left[0].equals("-")) {
                sources.get(source).add(new Pairing.Column(left[0], left[1]));
            }
            if (!right[0].equals("-")) {
                String type = right[1];
                if (type.endsWith(" *")) {
                    type = type.substring(0, type.length() - 2);
                    keys.get(target).add(right[0]);
                }
                targets.get(target).add(new Pairing.Column(right[0], type, true, false));
            }
            if (!left[0].equals("-") && !right[0].equals("-")) {
                columnPairs.add(source + "." + left[0] + " -> " + target + "." + right[0]);
            }
        }
        List<Pairing.Table> s = new ArrayList<>();
        sources.forEach((name, columns) -> s.add(new Pairing.Table(name, columns, List.of())));
        List<Pairing.Table> t = new ArrayList<>();
        targets.forEach((name, columns) -> t.add(new Pairing.Table(name, columns, keys.get(name))));
        return new RenamesFixture(s, t, tablePairs, columnPairs);
    }
}
