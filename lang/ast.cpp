// Operator spellings and Go's textual rendering of expressions for error messages.
#include "lang/ast.hpp"
#include "lang/parser.hpp"

namespace csp {

const char* op_spelling(Op op) {
    switch (op) {
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Rem: return "%";
    case Op::And: return "&";
    case Op::Or: return "|";
    case Op::Xor: return "^";
    case Op::Shl: return "<<";
    case Op::Shr: return ">>";
    case Op::AndNot: return "&^";
    case Op::LogAnd: return "&&";
    case Op::LogOr: return "||";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Not: return "!";
    case Op::Arrow: return "<-";
    case Op::Addr: return "&";
    case Op::None: return "";
    }
    return "";
}

static void write_fields(std::string& out, const std::vector<Field>& fields, const char* sep) {
    for (size_t i = 0; i < fields.size(); i++) {
        if (i) out += sep;
        const Field& f = fields[i];
        for (size_t k = 0; k < f.names.size(); k++) {
            if (k) out += ", ";
            out += f.names[k].name;
        }
        if (!f.names.empty()) out += ' ';
        if (f.variadic) out += "...";
        out += expr_string(f.type);
    }
}

static void write_signature(std::string& out, const FuncTypeExpr* f) {
    out += '(';
    write_fields(out, f->params, ", ");
    out += ')';
    if (f->results.empty()) return;
    out += ' ';
    bool paren = f->results.size() > 1 || !f->results[0].names.empty();
    if (paren) out += '(';
    write_fields(out, f->results, ", ");
    if (paren) out += ')';
}

static void write_expr(std::string& out, const Expr* e) {
    if (!e) return;
    switch (e->kind) {
    case ExprKind::Name: out += static_cast<const NameExpr*>(e)->name; return;
    case ExprKind::IntLit: case ExprKind::FloatLit: case ExprKind::ImagLit:
    case ExprKind::RuneLit: case ExprKind::StringLit: case ExprKind::BadLit:
        out += static_cast<const BasicLit*>(e)->text;
        return;
    case ExprKind::CompositeLit: {
        auto* c = static_cast<const CompositeLit*>(e);
        write_expr(out, c->type_expr);
        out += c->elements.empty() ? "{}" : "{…}"; // Go's short form
        return;
    }
    case ExprKind::FuncLit:
        out += "func";
        write_signature(out, static_cast<const FuncLit*>(e)->signature);
        out += " {…}";
        return;
    case ExprKind::Paren:
        out += '(';
        write_expr(out, static_cast<const ParenExpr*>(e)->inner);
        out += ')';
        return;
    case ExprKind::Selector: {
        auto* s = static_cast<const SelectorExpr*>(e);
        write_expr(out, s->base);
        out += '.' + s->field;
        return;
    }
    case ExprKind::Index: {
        auto* ix = static_cast<const IndexExpr*>(e);
        write_expr(out, ix->base);
        out += '[';
        write_expr(out, ix->index);
        out += ']';
        return;
    }
    case ExprKind::Slice: {
        auto* s = static_cast<const SliceExpr*>(e);
        write_expr(out, s->base);
        out += '[';
        write_expr(out, s->low);
        out += ':';
        write_expr(out, s->high);
        if (s->three_index) {
            out += ':';
            write_expr(out, s->max);
        }
        out += ']';
        return;
    }
    case ExprKind::TypeAssert: {
        auto* t = static_cast<const TypeAssertExpr*>(e);
        write_expr(out, t->base);
        out += ".(";
        if (t->type_expr) write_expr(out, t->type_expr);
        else out += "type";
        out += ')';
        return;
    }
    case ExprKind::Call: {
        auto* c = static_cast<const CallExpr*>(e);
        write_expr(out, c->callee);
        out += '(';
        for (size_t i = 0; i < c->args.size(); i++) {
            if (i) out += ", ";
            write_expr(out, c->args[i]);
        }
        if (c->spread) out += "...";
        out += ')';
        return;
    }
    case ExprKind::Unary: {
        auto* u = static_cast<const UnaryExpr*>(e);
        out += op_spelling(u->op);
        write_expr(out, u->operand);
        return;
    }
    case ExprKind::Star:
        out += '*';
        write_expr(out, static_cast<const StarExpr*>(e)->operand);
        return;
    case ExprKind::Binary: {
        auto* b = static_cast<const BinaryExpr*>(e);
        write_expr(out, b->left);
        out += ' ';
        out += op_spelling(b->op);
        out += ' ';
        write_expr(out, b->right);
        return;
    }
    case ExprKind::KeyValue: {
        auto* kv = static_cast<const KeyValueExpr*>(e);
        write_expr(out, kv->key);
        out += ": ";
        write_expr(out, kv->value);
        return;
    }
    case ExprKind::ArrayType: {
        auto* a = static_cast<const ArrayTypeExpr*>(e);
        out += '[';
        write_expr(out, a->length);
        out += ']';
        write_expr(out, a->element);
        return;
    }
    case ExprKind::MapType: {
        auto* m = static_cast<const MapTypeExpr*>(e);
        out += "map[";
        write_expr(out, m->key);
        out += ']';
        write_expr(out, m->value);
        return;
    }
    case ExprKind::ChanType: {
        auto* c = static_cast<const ChanTypeExpr*>(e);
        out += c->dir == ChanDir::Recv ? "<-chan " : c->dir == ChanDir::Send ? "chan<- " : "chan ";
        write_expr(out, c->element);
        return;
    }
    case ExprKind::FuncType:
        out += "func";
        write_signature(out, static_cast<const FuncTypeExpr*>(e));
        return;
    case ExprKind::StructType: out += "struct{…}"; return;
    case ExprKind::InterfaceType:
        out += static_cast<const InterfaceTypeExpr*>(e)->methods.empty() &&
                       static_cast<const InterfaceTypeExpr*>(e)->embedded.empty()
                   ? "interface{}"
                   : "interface{…}";
        return;
    case ExprKind::Ellipsis: out += "..."; return;
    }
}

std::string expr_string(const Expr* e) {
    std::string out;
    write_expr(out, e);
    return out;
}

} // namespace csp
