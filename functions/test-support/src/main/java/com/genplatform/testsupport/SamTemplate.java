package com.genplatform.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The repository's template.yaml, read as data: the one source of truth for the tables, queues, bucket,
 * functions and routes that the emulators and the local stack create. CloudFormation's short tags become
 * their long form ({@code !Ref X} is {@code {Ref: X}}, {@code !GetAtt A.B} is {@code {Fn::GetAtt: [A, B]}}).
 */
public final class SamTemplate {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private final Path path;
    private final Map<String, Object> root;

    private SamTemplate(Path path, Map<String, Object> root) {
        this.path = path;
        this.root = root;
    }

    /** template.yaml of the repository: found by walking up from the working directory. */
    public static SamTemplate locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("template.yaml")) && Files.isDirectory(d.resolve("functions"))) {
                return load(d.resolve("template.yaml"));
            }
        }
        throw new IllegalStateException("no template.yaml in " + dir + " or any folder above it");
    }

    @SuppressWarnings("unchecked")
    public static SamTemplate load(Path path) {
        try (Reader reader = Files.newBufferedReader(path)) {
            Yaml yaml = new Yaml(new CloudFormationConstructor());
            return new SamTemplate(path, (Map<String, Object>) yaml.load(reader));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    public Path path() {
        return path;
    }

    /** The whole template as read (short tags in their long form). */
    public Map<String, Object> root() {
        return root;
    }

    /** One resource: its logical id, type and properties. */
    public record Resource(String logicalId, String type, Map<String, Object> properties) {
        @SuppressWarnings("unchecked")
        public <T> T property(String name) {
            return (T) properties.get(name);
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Resource> resources() {
        Map<String, Resource> resources = new LinkedHashMap<>();
        map(root.get("Resources")).forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            resources.put(id, new Resource(id, (String) resource.get("Type"), map(resource.get("Properties"))));
        });
        return resources;
    }

    public List<Resource> resourcesOfType(String type) {
        return resources().values().stream().filter(r -> r.type().equals(type)).toList();
    }

    /** Parameter defaults by name. */
    public Map<String, String> parameterDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        map(root.get("Parameters")).forEach((name, value) -> {
            Object fallback = map(value).get("Default");
            if (fallback != null) defaults.put(name, fallback.toString());
        });
        return defaults;
    }

    /** Globals.Function's properties (Runtime, Timeout, Environment, ...). */
    public Map<String, Object> functionGlobals() {
        return map(map(root.get("Globals")).get("Function"));
    }

    /**
     * The environment a function gets: Globals' variables, then the function's own, each value resolved
     * with {@code resolver} (which turns {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub} into values).
     * A null function id gives the Globals only.
     */
    public Map<String, String> environment(String functionId, Function<Object, String> resolver) {
        Map<String, String> env = new LinkedHashMap<>();
        variables(functionGlobals()).forEach((k, v) -> env.put(k, resolver.apply(v)));
        if (functionId != null) {
            Resource function = resources().get(functionId);
            if (function == null) throw new IllegalArgumentException("template.yaml has no resource " + functionId);
            variables(function.properties()).forEach((k, v) -> env.put(k, resolver.apply(v)));
        }
        return env;
    }

    /**
     * Resolves a template value: plain scalars as they are; {@code Ref}, {@code Fn::GetAtt} and the
     * {@code ${...}} of {@code Fn::Sub} through {@code lookup}, which gets {@code "X"} for a Ref and
     * {@code "X.Attribute"} for a GetAtt. Anything else (conditions, {@code Fn::If}, parameters checked as a
     * deploy checks them) is {@link StackValues}' job; this one serves names only, before anything is provisioned.
     */
    @SuppressWarnings("unchecked")
    public static String resolve(Object value, Function<String, String> lookup) {
        if (value == null) return null;
        if (!(value instanceof Map<?, ?> map)) return value.toString();
        if (map.containsKey("Ref")) return lookup.apply(map.get("Ref").toString());
        if (map.containsKey("Fn::GetAtt")) {
            List<Object> parts = (List<Object>) map.get("Fn::GetAtt");
            return lookup.apply(parts.get(0) + "." + parts.get(1));
        }
        if (map.containsKey("Fn::Sub")) {
            Object sub = map.get("Fn::Sub");
            String text = sub instanceof List<?> list ? list.getFirst().toString() : sub.toString();
            Matcher m = SUB_VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(lookup.apply(m.group(1))));
            }
            return m.appendTail(out).toString();
        }
        throw new IllegalArgumentException("cannot resolve " + value + " locally");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Map<String, Object> properties) {
        return map(map(properties.get("Environment")).get("Variables"));
    }

    /** A template value as a map (an absent or scalar value is an empty map). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Reads {@code !Tag value} as {@code {"Fn::Tag": value}} ({@code Ref} and {@code Condition} keep their names). */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            for (String tag : List.of("Ref", "Condition", "GetAtt", "Sub", "If", "Not", "Equals", "And", "Or", "Join",
                    "Select", "Split", "FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs")) {
                this.yamlConstructors.put(new Tag("!" + tag), new Construct(tag));
            }
        }

        private final class Construct extends AbstractConstruct {
            private final String name;

            Construct(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalStateException("unexpected YAML node " + node);
                };
                if (name.equals("GetAtt") && value instanceof String text) {
                    value = List.of(text.split("\\.", 2));
                }
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                return Map.of(key, value);
            }
        }
    }
}
