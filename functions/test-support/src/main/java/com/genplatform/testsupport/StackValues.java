package com.genplatform.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of a template as CloudFormation would compute them for one local stack: its parameters
 * (defaults, overridden and checked against {@code AllowedValues} / {@code AllowedPattern} as a deploy
 * checks them), its conditions, pseudo parameters and the intrinsic functions the template uses
 * ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub} in both forms, {@code Fn::If}, {@code Fn::Join},
 * {@code Fn::Select}, {@code Fn::Split}, {@code Fn::Equals}, {@code Fn::Not}, {@code Fn::And}, {@code Fn::Or}).
 */
public final class StackValues {
    /** What {@code !Ref AWS::NoValue} yields: the property or list item is dropped. */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]*)}");

    private final SamTemplate template;
    private final Map<String, String> parameters;
    private final Function<String, String> resources;

    /**
     * @param overrides parameter values given to this stack (as {@code sam deploy --parameter-overrides})
     * @param resources a resource's Ref ({@code "X"}) or attribute ({@code "X.Arn"}) here, or null if unknown
     */
    public StackValues(SamTemplate template, Map<String, String> overrides, Function<String, String> resources) {
        this.template = template;
        this.resources = resources;
        this.parameters = new LinkedHashMap<>(template.parameterDefaults());
        Map<String, Object> declared = SamTemplate.map(template.root().get("Parameters"));
        List<String> problems = new ArrayList<>();
        overrides.keySet().stream().filter(name -> !declared.containsKey(name))
                .forEach(name -> problems.add("Parameters: [" + name + "] do not exist in the template"));
        parameters.putAll(overrides);
        declared.forEach((name, definition) -> {
            String value = parameters.get(name);
            if (value == null) problems.add("Parameters: [" + name + "] must have values");
            else problems.addAll(violations(name, SamTemplate.map(definition), value));
        });
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    }

    /** What CloudFormation says of a parameter value its declaration does not allow. */
    private static List<String> violations(String name, Map<String, Object> parameter, String value) {
        List<String> problems = new ArrayList<>();
        String because = parameter.get("ConstraintDescription") == null ? "" : ": " + parameter.get("ConstraintDescription");
        if (parameter.get("AllowedValues") instanceof List<?> allowed && allowed.stream().map(Object::toString).noneMatch(value::equals)) {
            problems.add("Parameter '" + name + "' must be one of AllowedValues " + allowed);
        }
        Object pattern = parameter.get("AllowedPattern");
        if (pattern != null && !Pattern.compile(pattern.toString()).matcher(value).matches()) {
            problems.add("Parameter '" + name + "' must match pattern " + pattern + because);
        }
        if ("Number".equals(parameter.get("Type"))) {
            try {
                double number = Double.parseDouble(value);
                if (parameter.get("MinValue") != null && number < Double.parseDouble(parameter.get("MinValue").toString())) {
                    problems.add("Parameter '" + name + "' must be a number not less than " + parameter.get("MinValue") + because);
                }
                if (parameter.get("MaxValue") != null && number > Double.parseDouble(parameter.get("MaxValue").toString())) {
                    problems.add("Parameter '" + name + "' must be a number not greater than " + parameter.get("MaxValue") + because);
                }
            } catch (NumberFormatException e) {
                problems.add("Parameter '" + name + "' must be a number");
            }
        }
        if (parameter.get("MinLength") != null && value.length() < Integer.parseInt(parameter.get("MinLength").toString())) {
            problems.add("Parameter '" + name + "' must contain at least " + parameter.get("MinLength") + " characters" + because);
        }
        if (parameter.get("MaxLength") != null && value.length() > Integer.parseInt(parameter.get("MaxLength").toString())) {
            problems.add("Parameter '" + name + "' must contain at most " + parameter.get("MaxLength") + " characters" + because);
        }
        return problems;
    }

    public String parameter(String name) {
        return parameters.get(name);
    }

    public Map<String, String> parameters() {
        return Map.copyOf(parameters);
    }

    /** The named condition of the template's {@code Conditions}. */
    public boolean condition(String name) {
        Object definition = SamTemplate.map(template.root().get("Conditions")).get(name);
        if (definition == null) throw new IllegalArgumentException("template.yaml has no condition " + name);
        return truth(definition);
    }

    /** A value with every intrinsic function computed: a String, a List, a Map, or {@link #NO_VALUE}. */
    @SuppressWarnings("unchecked")
    public Object value(Object node) {
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                Object v = value(item);
                if (v != NO_VALUE) out.add(v);
            }
            return out;
        }
        if (!(node instanceof Map<?, ?> map)) return node == null ? null : node.toString();
        if (map.size() == 1) {
            var entry = map.entrySet().iterator().next();
            String key = entry.getKey().toString();
            Object arg = entry.getValue();
            switch (key) {
                case "Ref" -> {
                    return ref(arg.toString());
                }
                case "Fn::GetAtt" -> {
                    List<Object> parts = arg instanceof List<?> l ? (List<Object>) l : List.of((Object[]) arg.toString().split("\\.", 2));
                    return known(parts.get(0) + "." + parts.get(1));
                }
                case "Fn::Sub" -> {
                    return sub(arg);
                }
                case "Fn::If" -> {
                    List<Object> branches = (List<Object>) arg;
                    return value(condition(branches.get(0).toString()) ? branches.get(1) : branches.get(2));
                }
                case "Fn::Join" -> {
                    List<Object> args = (List<Object>) arg;
                    return String.join(args.get(0).toString(), ((List<Object>) value(args.get(1))).stream().map(Object::toString).toList());
                }
                case "Fn::Select" -> {
                    List<Object> args = (List<Object>) arg;
                    return ((List<Object>) value(args.get(1))).get(Integer.parseInt(string(args.get(0))));
                }
                case "Fn::Split" -> {
                    List<Object> args = (List<Object>) arg;
                    return List.of((Object[]) string(args.get(1)).split(Pattern.quote(args.get(0).toString()), -1));
                }
                default -> {
                    if (key.startsWith("Fn::") || key.equals("Condition")) {
                        throw new IllegalArgumentException(key + " is not emulated locally (in " + node + ")");
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            Object computed = value(v);
            if (computed != NO_VALUE) out.put(k.toString(), computed);
        });
        return out;
    }

    /** A value that must compute to a string. */
    public String string(Object node) {
        Object v = value(node);
        if (!(v instanceof String text)) throw new IllegalArgumentException("expected a string, got " + node);
        return text;
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) return NO_VALUE;
        if (parameters.containsKey(name)) return parameters.get(name);
        return known(name);
    }

    private String known(String name) {
        String value = switch (name) {
            case "AWS::Region" -> LocalAws.REGION;
            case "AWS::AccountId" -> LocalAws.ACCOUNT_ID;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> LocalAws.STACK_NAME;
            default -> parameters.containsKey(name) ? parameters.get(name) : resources.apply(name);
        };
        if (value == null) {
            Map<String, Object> resource = SamTemplate.map(SamTemplate.map(template.root().get("Resources")).get(name.split("\\.")[0]));
            if (resource.get("Condition") != null && !condition(resource.get("Condition").toString())) {
                throw new IllegalArgumentException(name + " is used, but its resource is not created (its condition "
                        + resource.get("Condition") + " is false): CloudFormation refuses such a template");
            }
            // A created resource nothing here provisions (the HTTP API, a managed policy) is known by its logical id.
            if (!resource.isEmpty() && !name.contains(".")) value = name;
        }
        if (value == null) throw new IllegalArgumentException("template.yaml's " + name + " has no local value");
        return value;
    }

    @SuppressWarnings("unchecked")
    private String sub(Object arg) {
        String text;
        Map<String, Object> variables = Map.of();
        if (arg instanceof List<?> list) {
            text = list.get(0).toString();
            variables = (Map<String, Object>) list.get(1);
        } else {
            text = arg.toString();
        }
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            // ${!Literal} is written as ${Literal}, unresolved.
            String replacement = !m.group(1).isEmpty() ? "${" + name + "}"
                    : variables.containsKey(name) ? string(variables.get(name)) : known(name);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    @SuppressWarnings("unchecked")
    private boolean truth(Object node) {
        Map<String, Object> map = SamTemplate.map(node);
        if (map.size() != 1) throw new IllegalArgumentException("not a condition: " + node);
        var entry = map.entrySet().iterator().next();
        List<Object> args = entry.getValue() instanceof List<?> l ? (List<Object>) l : List.of(entry.getValue());
        return switch (entry.getKey()) {
            case "Condition" -> condition(entry.getValue().toString());
            case "Fn::Equals" -> Objects.equals(value(args.get(0)), value(args.get(1)));
            case "Fn::Not" -> !truth(args.get(0));
            case "Fn::And" -> args.stream().allMatch(this::truth);
            case "Fn::Or" -> args.stream().anyMatch(this::truth);
            default -> throw new IllegalArgumentException(entry.getKey() + " is not a condition function");
        };
    }
}
