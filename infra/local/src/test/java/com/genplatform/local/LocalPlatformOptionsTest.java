package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every run-local option does what it says or is refused at start with one line saying what to do. */
class LocalPlatformOptionsTest {

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> LocalPlatform.Options.parse(args)).getMessage();
    }

    @Test
    void badValuesAreRefusedWithOneLineNamingTheOption() {
        assertEquals("--local-provider-mode is sync, webhook or poll (got fast)", refusal("--local-provider-mode", "fast"));
        assertTrue(refusal("--port", "http").startsWith("--port takes a whole number"));
        assertTrue(refusal("--port", "70000").startsWith("--port takes a whole number from 0 to 65535"));
        assertTrue(refusal("--provider-failure-rate", "2").startsWith("--provider-failure-rate is a share from 0 to 1"));
        assertTrue(refusal("--provider-latency", "-5").startsWith("--provider-latency takes a whole number"));
        assertTrue(refusal("--users", "alice,,bob").startsWith("--users takes names"));
        assertTrue(refusal("--provider-keys", "/no/such/file.json").contains("no such readable file"));
        assertTrue(refusal("--fast").startsWith("unknown option --fast"));
        assertEquals("--port needs a value", refusal("--port"));
        assertFalse(refusal("--fast").contains("\n"));
    }

    @Test
    void iamIsEnforcedUnlessTurnedOff() {
        assertTrue(LocalPlatform.Options.parse(new String[0]).enforceIam());
        assertFalse(LocalPlatform.Options.parse(new String[] {"--no-iam"}).enforceIam());
    }

    @Test
    void aPortInUseOrAnUnusableDataDirectoryIsOneLineNotAStackTrace(@TempDir Path dir) throws Exception {
        try (var taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            var options = LocalPlatform.Options.parse(new String[] {"--in-memory", "--port", Integer.toString(taken.getLocalPort())});
            var refused = assertThrows(LocalPlatform.StartException.class, () -> LocalPlatform.start(options, line -> { }));
            assertTrue(refused.getMessage().contains("is in use"), refused.getMessage());
        }
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        var options = LocalPlatform.Options.parse(new String[] {"--data", file.resolve("sub").toString(), "--port", "0"});
        var refused = assertThrows(LocalPlatform.StartException.class, () -> LocalPlatform.start(options, line -> { }));
        assertTrue(refused.getMessage().contains("cannot be used as a data directory"), refused.getMessage());
    }

    @Test
    void aProviderKeysFileMustBeAJsonObject(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.json"), "[\"sk-1\"]");
        var options = LocalPlatform.Options.parse(new String[] {"--in-memory", "--port", "0", "--provider-keys", keys.toString()});
        var refused = assertThrows(LocalPlatform.StartException.class, () -> LocalPlatform.start(options, line -> { }));
        assertTrue(refused.getMessage().contains("must hold a JSON object"), refused.getMessage());
    }
}
