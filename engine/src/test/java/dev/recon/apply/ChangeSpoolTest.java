package dev.recon.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.config.Operation;
import dev.recon.result.RowChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool keeps what it is asked to, whole when asked, and leaves no file of a process that is gone. */
class ChangeSpoolTest {
    @TempDir
    Path dir;

    @Test
    void aWholeSpoolGivesBackEveryPartOfEachChange() {
        RowChange update = new RowChange(Operation.UPDATE, List.of("1"), List.of("1", "a", "é\t\n"),
                Arrays.asList("1", null, ""), List.of("v", "w"), true);
        RowChange delete = new RowChange(Operation.DELETE, List.of("2"), List.of(), List.of("2", "x", "y"), List.of(),
                false);
        try (ChangeSpool whole = ChangeSpool.whole(); ChangeSpool lean = new ChangeSpool()) {
            for (RowChange c : List.of(update, delete)) {
                whole.add(c);
                lean.add(c);
            }
            List<RowChange> back = new ArrayList<>();
            whole.read().forEachRemaining(back::add);
            assertThat(back).containsExactly(update, delete);
            // the writer's spool: kind, key, revive, the source row of an upsert and the target row as read
            List<RowChange> lean2 = new ArrayList<>();
            lean.read().forEachRemaining(lean2::add);
            assertThat(lean2).containsExactly(new RowChange(Operation.UPDATE, List.of("1"), List.of("1", "a", "é\t\n"),
                    Arrays.asList("1", null, ""), List.of(), true), new RowChange(Operation.DELETE, List.of("2"),
                    List.of(), List.of("2", "x", "y"), List.of(), false));
        }
    }

    @Test
    void theFilesOfAProcessThatIsGoneAreSweptAndOthersKept() throws IOException {
        long dead = 4_000_000;
        while (ProcessHandle.of(dead).isPresent()) {
            dead++;
        }
        Path gone = Files.createFile(dir.resolve("recon-spool-" + dead + "-123.bin"));
        Path mine = Files.createFile(dir.resolve("recon-spool-" + ProcessHandle.current().pid() + "-456.bin"));
        Path other = Files.createFile(dir.resolve("recon-spool-notapid.bin"));
        ChangeSpool.sweep(dir);
        assertThat(gone).doesNotExist();
        assertThat(mine).exists();
        assertThat(other).exists();
    }
}
