package com.genplatform.runtime;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Runs a function's real request path once before Lambda takes its SnapStart snapshot, so classes are
 * loaded, clients connected and code warmed in the snapshot rather than on the first request after a
 * restore. Nothing is done after restore (it must stay fast), and no secret or random state is created here:
 * a priming path must not reach a provider, whose keys are read from the secret on first use after the
 * restore (see RefreshingProviders), so that the snapshot never holds them.
 */
public final class SnapStartPriming implements Resource {
    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class.getName());
    private final Runnable prime;

    private SnapStartPriming(Runnable prime) {
        this.prime = prime;
    }

    /** Registers {@code prime}; keep the returned object referenced (CRaC holds resources weakly). */
    public static SnapStartPriming register(Runnable prime) {
        var priming = new SnapStartPriming(prime);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            prime.run();
        } catch (RuntimeException e) {
            // Priming is an optimisation: a failure must not stop the snapshot.
            LOG.log(Level.WARNING, "SnapStart priming failed; the first request will warm up instead", e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing: connections re-open on demand, and restore must stay fast
    }
}
