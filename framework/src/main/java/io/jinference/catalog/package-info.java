/** The model catalog: built-in LLM families shipped as data, and custom families registered by users. Private to the host. */
package io.jinference.catalog;
