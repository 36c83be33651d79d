package io.moelora.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options and bare positional arguments of one sub-benchmark. */
final class BenchOptions {

    private final Map<String, String> named = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    BenchOptions(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                named.put(args[i], args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
    }

    boolean has(String name) {
        return named.containsKey(name);
    }

    String string(String name, String fallback) {
        return named.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = named.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }

    int integer(String name, int fallback) {
        String v = named.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    /** The {@code index}-th bare argument as an int (older command lines pass counts positionally). */
    int positional(int index, int fallback) {
        return index < positional.size() ? Integer.parseInt(positional.get(index)) : fallback;
    }

    /** A comma-separated list; "none" or "" is the empty list. */
    List<String> list(String name, String fallback) {
        String v = named.getOrDefault(name, fallback).strip();
        if (v.isEmpty() || v.equals("none")) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::strip).toList();
    }

    List<Integer> integers(String name, String fallback) {
        return list(name, fallback).stream().map(Integer::parseInt).toList();
    }
}
