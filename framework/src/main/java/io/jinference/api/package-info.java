/**
 * The engine SPI and model types shared by the Jinference host and every engine bundle.
 *
 * <p>Only JDK types appear here, so the package can be exported from the system bundle and crosses any class
 * loader (or, later, process) boundary unchanged. Requests, responses and stream chunks are plain records.
 */
@Export
@Version("1.2.0")
package io.jinference.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
