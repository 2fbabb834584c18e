package dev.recon.base;

import dev.recon.base.ReconException;
import java.util.List;

/** The mapping file does not fit the live tables; every problem is listed, nothing was read or written. */
public final class PlanException extends ReconException {
    public PlanException(String message, List<String> problems) {
        super(message, problems, null);
    }
}
