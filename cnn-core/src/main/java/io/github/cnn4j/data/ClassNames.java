package io.github.cnn4j.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The names of a data set's classes, by label: label {@code i} is class {@code name(i)}. Folder
 * readers take them from the sub-folder names, CSV readers from the label column; data without
 * names gets {@link #numbered(int) "0", "1", ...}.
 */
public final class ClassNames {
    private final List<String> names;

    private ClassNames(List<String> names) {
        this.names = names;
    }

    /**
     * @param names the names by label: at least one, none empty or repeated
     * @return the class names
     * @throws IllegalArgumentException when a name is empty, blank or repeated
     */
    public static ClassNames of(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one class name is needed");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("class name " + i + " is empty");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("class name '" + n + "' is given twice (labels " + names.indexOf(n) + " and " + i + ")");
            }
        }
        return new ClassNames(List.copyOf(names));
    }

    /**
     * @param names the names by label
     * @return the class names
     */
    public static ClassNames of(String... names) {
        return of(List.of(names));
    }

    /**
     * @param classes number of classes, at least 1
     * @return the names {@code "0", "1", ..., classes - 1}
     */
    public static ClassNames numbered(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        List<String> n = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            n.add(Integer.toString(i));
        }
        return new ClassNames(List.copyOf(n));
    }

    /** @return number of classes */
    public int size() {
        return names.size();
    }

    /**
     * @param label a label in {@code [0, size())}
     * @return its class name
     */
    public String name(int label) {
        return names.get(label);
    }

    /**
     * @param name a class name
     * @return its label, or -1 when there is no such class
     */
    public int indexOf(String name) {
        return names.indexOf(name);
    }

    /** @return the names by label (unmodifiable) */
    public List<String> asList() {
        return names;
    }

    /** @return the names by label, as a new array */
    public String[] toArray() {
        return names.toArray(new String[0]);
    }

    /** @return whether these are the names {@link #numbered(int)} gives */
    public boolean isNumbered() {
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(Integer.toString(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassNames c && c.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
