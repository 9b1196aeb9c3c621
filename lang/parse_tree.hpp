// The parse tree PEGTL builds for the parser: a PEGTL control that records a node for each
// selected rule, with every node and child list taken from one arena that owns the whole
// tree. Unlike PEGTL's parse_tree (a heap node per rule attempt, and a temporary node per
// unselected rule), children wait on one shared stack until their parent closes, and a
// failed attempt only truncates that stack and recycles its nodes.
#pragma once
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include <cstring>
#include <deque>
#include <memory>
#include <string_view>
#include <vector>

namespace csp {

// One address per rule type: node types compare by pointer.
template <typename Rule> inline constexpr char rule_tag = 0;

struct ParseNode {
    // The node's children, in the arena, set when the node's rule succeeds.
    struct Children {
        ParseNode** items = nullptr;
        size_t count = 0;
        size_t size() const { return count; }
        bool empty() const { return count == 0; }
        ParseNode* operator[](size_t k) const { return items[k]; }
        ParseNode* back() const { return items[count - 1]; }
        ParseNode* const* begin() const { return items; }
        ParseNode* const* end() const { return items + count; }
    } children;
    const char* tag = nullptr; // &rule_tag<Rule>; null for the root
    struct Iterator {
        const char* data = nullptr;
    } m_begin, m_end;
    size_t first_pending = 0; // while open: where its children start on the pending stack

    template <typename Rule> bool is_type() const { return tag == &rule_tag<Rule>; }
    std::string_view string_view() const { return {m_begin.data, size_t(m_end.data - m_begin.data)}; }
};

// Owns every node of one parse; nodes of failed attempts are reused.
class ParseTree {
  public:
    ParseTree() { m_open.push_back(fresh()); }
    ParseTree(const ParseTree&) = delete;
    ParseTree& operator=(const ParseTree&) = delete;

    // After a successful parse: the root, whose children are the top rule's nodes.
    ParseNode& root() {
        ParseNode* r = m_open.front();
        if (!m_root_done) set_children(*r, 0);
        m_root_done = true;
        return *r;
    }

    template <typename Rule> void open(const char* at) {
        ParseNode* n = fresh();
        n->tag = &rule_tag<Rule>;
        n->m_begin.data = at;
        n->first_pending = m_pending.size();
        m_open.push_back(n);
    }
    void close(const char* at) {
        ParseNode* n = m_open.back();
        m_open.pop_back();
        n->m_end.data = at;
        set_children(*n, n->first_pending);
        m_pending.push_back(n);
    }
    void discard() {
        ParseNode* n = m_open.back();
        m_open.pop_back();
        truncate(n->first_pending);
        m_free.push_back(n);
    }
    // An unselected rule: its selected descendants wait on the stack with the open node's
    // other children, and a failure takes them back off.
    void mark() { m_marks.push_back(m_pending.size()); }
    void unmark() { m_marks.pop_back(); }
    void rewind() {
        truncate(m_marks.back());
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
        n->children = {};
        m_free.push_back(n);
    }
    void truncate(size_t size) {
        for (size_t k = size; k < m_pending.size(); ++k) recycle(m_pending[k]);
        m_pending.resize(size);
    }
    // Moves the pending nodes from `first` on into the node's child list.
    void set_children(ParseNode& n, size_t first) {
        size_t count = m_pending.size() - first;
        n.children = {count == 0 ? nullptr : allocate(count), count};
        if (count != 0) std::memcpy(n.children.items, m_pending.data() + first, count * sizeof(ParseNode*));
        m_pending.resize(first);
    }
    ParseNode** allocate(size_t count) {
        if (m_chunk_left < count) {
            size_t size = std::max<size_t>(count, 4096);
            m_chunks.push_back(std::make_unique<ParseNode*[]>(size));
            m_chunk_next = m_chunks.back().get();
            m_chunk_left = size;
        }
        ParseNode** items = m_chunk_next;
        m_chunk_next += count;
        m_chunk_left -= count;
        return items;
    }

    std::deque<ParseNode> m_nodes;
    std::vector<ParseNode*> m_free;
    std::vector<ParseNode*> m_open;    // the open selected nodes, the root first
    std::vector<ParseNode*> m_pending; // closed nodes whose parent is still open
    std::vector<size_t> m_marks;
    // Child lists: bump-allocated; a list whose node is recycled is not reused.
    std::vector<std::unique_ptr<ParseNode*[]>> m_chunks;
    ParseNode** m_chunk_next = nullptr;
    size_t m_chunk_left = 0;
    bool m_root_done = false;
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
