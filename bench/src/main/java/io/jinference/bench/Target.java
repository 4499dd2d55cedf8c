package io.jinference.bench;

/**
 * One server under test, ready to serve {@code model} through the OpenAI API at {@code baseUrl}.
 *
 * @param label       the column heading in the results
 * @param description what exactly runs (library and version), for the notes under the table
 */
record Target(String label, String description, String baseUrl, String model, ChildServer server)
        implements AutoCloseable {

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
