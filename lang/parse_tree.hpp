// The parse tree PEGTL builds for the parser: a PEGTL control that records a node for each
// selected rule, with every node taken from one arena that owns the whole tree. Unlike
// PEGTL's parse_tree (a heap node per rule attempt, and a temporary node per unselected
// rule), a failed attempt only truncates its parent's child list and recycles the nodes.
#pragma once
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include <deque>
#include <string_view>
#include <vector>

namespace csp {

// One address per rule type: node types compare by pointer.
template <typename Rule> inline constexpr char rule_tag = 0;

struct ParseNode {
    std::vector<ParseNode*> children;
    const char* tag = nullptr; // &rule_tag<Rule>; null for the root
    struct Iterator {
        const char* data = nullptr;
    } m_begin, m_end;

    template <typename Rule> bool is_type() const { return tag == &rule_tag<Rule>; }
    std::string_view string_view() const { return {m_begin.data, size_t(m_end.data - m_begin.data)}; }
};

// Owns every node of one parse; nodes of failed attempts are reused.
class ParseTree {
  public:
    ParseTree() { m_stack.push_back(fresh()); }
    ParseTree(const ParseTree&) = delete;
    ParseTree& operator=(const ParseTree&) = delete;

    ParseNode& root() { return *m_stack.front(); }

    template <typename Rule> void open(const char* at) {
        ParseNode* n = fresh();
        n->tag = &rule_tag<Rule>;
        n->m_begin.data = at;
        m_stack.push_back(n);
    }
    void close(const char* at) {
        ParseNode* n = m_stack.back();
        n->m_end.data = at;
        m_stack.pop_back();
        m_stack.back()->children.push_back(n);
    }
    void discard() {
        recycle(m_stack.back());
        m_stack.pop_back();
    }
    // An unselected rule: its selected descendants go straight to the open node, and a
    // failure takes them back off.
    void mark() { m_marks.push_back(m_stack.back()->children.size()); }
    void unmark() { m_marks.pop_back(); }
    void rewind() {
        std::vector<ParseNode*>& children = m_stack.back()->children;
        for (size_t k = m_marks.back(); k < children.size(); ++k) recycle(children[k]);
        children.resize(m_marks.back());
        m_marks.pop_back();
    }

  private:
    ParseNode* fresh() {
        if (m_free.empty()) return &m_nodes.emplace_back();
        ParseNode* n = m_free.back();
        m_free.pop_back();
        return n;
    }
    void recycle(ParseNode* n) {
        for (ParseNode* c : n->children) recycle(c);
        n->children.clear(); // keeps its capacity for the node's next use
        m_free.push_back(n);
    }

    std::deque<ParseNode> m_nodes;
    std::vector<ParseNode*> m_free;
    std::vector<ParseNode*> m_stack; // the open selected nodes, the root first
    std::vector<size_t> m_marks;
};

// The control for tao::pegtl::parse<Rule, nothing, TreeControl<Selector, Control>::type>
// with a ParseTree as the state: Control's own hooks run first.
template <template <typename...> class Selector, template <typename...> class Control> struct TreeControl {
    template <typename Rule> struct type : Control<Rule> {
        static constexpr bool selected = tao::pegtl::parse_tree::internal::is_selected_node<Rule, Selector>;
        // No selected rule below: nothing to mark or take back.
        static constexpr bool leaf = tao::pegtl::parse_tree::internal::is_leaf<8, typename Rule::subs_t, Selector>;
        // PEGTL's internal rules (the seq inside a star...) run without control hooks; one
        // that holds selected rules needs them to take its children back when it fails.
        static constexpr bool enable = selected || !leaf || Control<Rule>::enable;

        template <typename Input> static void start(const Input& in, ParseTree& tree) {
            Control<Rule>::start(in, tree);
            if constexpr (selected)
                tree.open<Rule>(in.current());
            else if constexpr (!leaf)
                tree.mark();
        }
        template <typename Input> static void success(const Input& in, ParseTree& tree) {
            Control<Rule>::success(in, tree);
            if constexpr (selected)
                tree.close(in.current());
            else if constexpr (!leaf)
                tree.unmark();
        }
        template <typename Input> static void failure(const Input& in, ParseTree& tree) {
            Control<Rule>::failure(in, tree);
            if constexpr (selected)
                tree.discard();
            else if constexpr (!leaf)
                tree.rewind();
        }
    };
};

} // namespace csp
