// Build tool: turns data files into a C++ source so the cdiscan binary carries its rule packs
// and lexicons and works from any directory.
//
// Usage: embed OUT.cc SYMBOL FILE...
// Defines `const cdiscan::EmbeddedFile SYMBOL[]` (terminated by {nullptr, ...}) with each file's
// path as given and its bytes.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: embed OUT.cc SYMBOL FILE...\n";
    return 2;
  }
  std::ofstream out(argv[1], std::ios::binary);
  out << "#include \"tools/embedded_file.h\"\n\nnamespace {\n";
  for (int i = 3; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::cerr << "embed: cannot read " << argv[i] << "\n";
      return 1;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string data = buffer.str();
    out << "const unsigned char kData" << i << "[] = {";
    for (size_t j = 0; j < data.size(); ++j) {
      if (j % 24 == 0) out << "\n";
      out << static_cast<unsigned>(static_cast<unsigned char>(data[j])) << ",";
    }
    out << "0};\n";
  }
  out << "}  // namespace\n\nnamespace cdiscan {\nextern const EmbeddedFile " << argv[2]
      << "[];\nconst EmbeddedFile " << argv[2] << "[] = {\n";
  for (int i = 3; i < argc; ++i) {
    std::string path = argv[i];
    std::string escaped;
    for (char c : path) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    std::ifstream in(argv[i], std::ios::binary | std::ios::ate);
    out << "    {\"" << escaped << "\", reinterpret_cast<const char*>(kData" << i << "), "
        << static_cast<long long>(in.tellg()) << "},\n";
  }
  out << "    {nullptr, nullptr, 0}};\n}  // namespace cdiscan\n";
  return out ? 0 : 1;
}
