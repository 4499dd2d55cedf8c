package io.jinference.launcher.cli;

import picocli.CommandLine.Option;

/** The options that narrow a model down to a spec and an engine, shared by {@code launch} and {@code engines}. */
public final class SpecOptions {
    @Option(names = "--engine", description = "Engine, e.g. llama.cpp (default: the one Jinference chooses)")
    String engine;
    @Option(names = "--backend", description = "Backend of an engine with several, e.g. server (llama-server) or jvm"
            + " (in-JVM) for llama.cpp, python or jvm for Transformers (default: the one Jinference chooses)")
    String backend;
    @Option(names = "--format", description = "Model format, e.g. ggufv2")
    String format;
    @Option(names = "--size", description = "Size in billions, e.g. 0_135")
    String size;
    @Option(names = "--quantization", description = "Quantization, e.g. q4_1")
    String quantization;
}
