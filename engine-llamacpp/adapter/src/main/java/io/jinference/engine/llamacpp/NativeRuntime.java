package io.jinference.engine.llamacpp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads java-llama.cpp's native library once per JVM, from a folder of Jinference's own.
 *
 * <p>java-llama.cpp extracts {@code libjllama} into {@code de.kherud.llama.tmpdir} (default: {@code java.io.tmpdir})
 * and, while doing so, deletes every file there whose name starts with {@code llama} or {@code jllama}. So the
 * property must point at a dedicated folder before the library's classes initialise. The library lives in the
 * runtime bundle, whose class loader never changes, so the first successful load serves every later adapter
 * revision (their initialisation is then a no-op); a failed load is final for that class loader as well, which is
 * why the outcome is remembered.
 *
 * <p>The folder is the adapter's own data area, so each OSGi framework in a JVM (tests start several) extracts its
 * own copy: a JVM binds a native library file to one class loader, and a second framework's runtime bundle would
 * otherwise fail with "already loaded in another classloader".
 */
final class NativeRuntime {

    static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";
    /** What runs here: the Maven artifact and the llama.cpp build it was compiled from. */
    static final String DESCRIPTION = "java-llama.cpp 4.2.0 (llama.cpp b4916, CPU)";

    private static final Object LOCK = new Object();
    private static String failure;
    private static boolean loaded;

    private NativeRuntime() {
    }

    /**
     * Whether the library is there for this host, without loading it: the runtime bundle resolved only where it
     * carries natives for this OS and CPU ({@code osgi.native}), and its classes are visible. The server answers
     * probes this way and leaves the loading to the model host, so that no engine native code enters its process.
     *
     * @return null when the library is present, else why not
     */
    static String presence() {
        try {
            Class.forName("de.kherud.llama.LlamaModel", false, NativeRuntime.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return "java-llama.cpp's classes are not visible to the llama.cpp engine: " + rootMessage(e);
        }
    }

    /**
     * Makes sure the native library is loaded.
     *
     * @param nativeDir where to extract the library if this class loader has not loaded it yet
     * @return null when the library is usable, else why not
     */
    static String ensureLoaded(Path nativeDir) {
        synchronized (LOCK) {
            if (loaded || failure != null) {
                return failure;
            }
            try {
                Files.createDirectories(nativeDir);
                System.setProperty(TMPDIR_PROPERTY, nativeDir.toAbsolutePath().toString());
                // initialising LlamaModel runs LlamaLoader.initialize(), which extracts and loads libjllama
                Class.forName("de.kherud.llama.LlamaModel", true, NativeRuntime.class.getClassLoader());
                loaded = true;
            } catch (IOException e) {
                failure = "Cannot create the folder for llama.cpp's native library: " + e.getMessage();
            } catch (ClassNotFoundException | LinkageError e) {
                failure = "llama.cpp's native library does not load on this host: " + rootMessage(e);
            }
            return failure;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
