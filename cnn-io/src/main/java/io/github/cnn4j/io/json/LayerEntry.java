package io.github.cnn4j.io.json;

import java.util.Map;

/**
 * One parsed layer object of a model file: its {@code type} and its other fields, as Long, Double,
 * String, Boolean, long[] values, nested {@code LayerEntry}s or lists of them.
 *
 * @param type    the type string
 * @param options the other fields, in file order
 */
record LayerEntry(String type, Map<String, Object> options) {
}
