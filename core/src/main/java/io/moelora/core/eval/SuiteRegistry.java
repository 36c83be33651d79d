package io.moelora.core.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The evaluation suites and groups, declared as versioned data in {@code suites.json} beside this
 * class, so that adding a suite or changing a budget is a data change with a version bump, not code.
 * Names of suites and groups are looked up case-insensitively.
 */
public final class SuiteRegistry {

    /** The classpath resource holding the standard registry. */
    public static final String RESOURCE = "suites.json";

    // Absent fields read as null/false/0, which the records' compact constructors reject where required.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static volatile SuiteRegistry standard;

    private final List<SuiteSpec> suites;
    private final Map<String, List<String>> groups; // group name -> canonical suite names, in report order
    private final Map<String, SuiteSpec> byKey = new LinkedHashMap<>(); // lower-case name -> suite
    private final Map<String, String> groupByKey = new LinkedHashMap<>(); // lower-case group -> group name

    record Data(String protocolVersion, List<SuiteSpec> suites, Map<String, List<String>> groups) {}

    private SuiteRegistry(Data data) {
        if (!EvalProtocol.VERSION.equals(data.protocolVersion())) {
            throw new IllegalArgumentException("suite registry declares protocol '" + data.protocolVersion()
                    + "' but this code implements '" + EvalProtocol.VERSION + "'");
        }
        if (data.suites() == null || data.suites().isEmpty()) {
            throw new IllegalArgumentException("suite registry lists no suites");
        }
        this.suites = List.copyOf(data.suites());
        for (SuiteSpec s : suites) {
            if (byKey.put(key(s.name()), s) != null) {
                throw new IllegalArgumentException("suite registry lists '" + s.name() + "' twice");
            }
            if (s.builtin() && !SyntheticSuites.NAMES.contains(s.name())) {
                throw new IllegalArgumentException("built-in suite '" + s.name() + "' has no generator; generators: "
                        + SyntheticSuites.NAMES);
            }
        }
        Map<String, List<String>> g = new LinkedHashMap<>();
        if (data.groups() != null) {
            data.groups().forEach((group, members) -> {
                if (byKey.containsKey(key(group)) || groupByKey.put(key(group), group) != null) {
                    throw new IllegalArgumentException("group name '" + group + "' clashes with a suite or another group");
                }
                List<String> canonical = new ArrayList<>();
                for (String member : members) {
                    SuiteSpec s = byKey.get(key(member));
                    if (s == null) {
                        throw new IllegalArgumentException("group '" + group + "' names unknown suite '" + member + "'");
                    }
                    canonical.add(s.name());
                }
                g.put(group, List.copyOf(canonical));
            });
        }
        this.groups = Collections.unmodifiableMap(g);
    }

    /** The registry shipped with this code ({@value #RESOURCE}), loaded once. */
    public static SuiteRegistry standard() {
        SuiteRegistry r = standard;
        if (r == null) {
            try (InputStream in = SuiteRegistry.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + RESOURCE + " missing beside " + SuiteRegistry.class.getName());
                }
                r = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            standard = r;
        }
        return r;
    }

    /** A registry from JSON text in the {@value #RESOURCE} format. */
    public static SuiteRegistry parse(String json) {
        try {
            return new SuiteRegistry(JSON.readValue(json, Data.class));
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("bad suite registry: " + (cause == e ? e.getOriginalMessage() : cause.getMessage()), e);
        }
    }

    /** Every suite, in registry order. */
    public List<SuiteSpec> suites() {
        return suites;
    }

    /** Group name to canonical suite names, in registry order ({@code math}, {@code commonsense}, {@code all}, ...). */
    public Map<String, List<String>> groups() {
        return groups;
    }

    /** The suite called {@code name}, in any case. */
    public Optional<SuiteSpec> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byKey.get(key(name.strip())));
    }

    /**
     * The suite called {@code name}, in any case.
     *
     * @throws IllegalArgumentException listing the valid suites and groups when there is none
     */
    public SuiteSpec get(String name) {
        return find(name).orElseThrow(() -> unknown(name));
    }

    /**
     * The suites named by a comma-separated list of suite and group names, in the order given, each
     * once: {@code "gsm8k,boolq"}, {@code "math"}, {@code "commonsense"}, {@code "all"}.
     */
    public List<SuiteSpec> resolve(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("no suites given; " + validNames());
        }
        Set<SuiteSpec> out = new LinkedHashSet<>();
        for (String token : expression.split(",", -1)) {
            String name = token.strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty suite name in '" + expression + "'");
            }
            String group = groupByKey.get(key(name));
            if (group != null) {
                groups.get(group).forEach(member -> out.add(byKey.get(key(member))));
            } else {
                out.add(get(name));
            }
        }
        return List.copyOf(out);
    }

    private IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown suite '" + name + "'; " + validNames());
    }

    private String validNames() {
        return "valid suites: " + String.join(", ", suites.stream().map(SuiteSpec::name).toList())
                + "; groups: " + String.join(", ", groups.keySet());
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
