package io.moelora.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile as its instructions (continuation lines joined, comments dropped). */
record Dockerfile(String path, List<Instruction> instructions) {

  record Instruction(String keyword, String args) {}

  private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

  static Dockerfile read(String path) {
    var instructions = new ArrayList<Instruction>();
    var current = new StringBuilder();
    for (String line : Repo.read(path).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String full = current.toString().strip();
      current.setLength(0);
      if (!full.isEmpty()) {
        int space = full.indexOf(' ');
        instructions.add(new Instruction(full.substring(0, space).toUpperCase(), full.substring(space + 1).strip()));
      }
    }
    return new Dockerfile(path, List.copyOf(instructions));
  }

  /** Arguments of every instruction with this keyword, in order. */
  List<String> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
  }

  /** The instructions of the last stage (the image that ships). */
  Dockerfile finalStage() {
    int start = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        start = i;
      }
    }
    return new Dockerfile(path, instructions.subList(start, instructions.size()));
  }

  /** The ENV settings of the image (KEY=VALUE pairs, quotes removed). */
  Map<String, String> env() {
    var env = new LinkedHashMap<String, String>();
    for (String args : all("ENV")) {
      Matcher m = ENV_PAIR.matcher(args);
      while (m.find()) {
        env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
      }
    }
    return env;
  }
}
