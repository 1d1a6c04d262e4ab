//! Keys of outputs, derived from the data each render is given.
//!
//! Every output is rendered from one serde value (its inputs) plus the site-wide globals. The
//! key of an output is a hash of exactly that value, taken by serialising it into a hasher, so a
//! new template variable is keyed as soon as it is handed to a template: there is no second
//! description of what each output reads to keep in step with the renderer.
//!
//! Large values shared by many outputs (an article's rendered body, its card) are [`Shared`]:
//! their hash is taken once, and an output's key hashes that instead of the value. Each shared
//! value also names the article it comes from ([`Dep`]); the key of an output records the
//! articles whose shared values it used, so that `digest serve` knows, after an edit of a body
//! alone, which outputs can have changed.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

use serde::ser::{self, Serialize, Serializer};

/// The hasher of keys: XXH3, fast over the long strings of pages and stable within a run (keys
/// are compared only with keys of the same process).
type KeyState = xxhash_rust::xxh3::Xxh3Default;

/// A hash of anything hashable.
pub fn hash(value: impl Hash) -> u64 {
    let mut hasher = KeyState::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// An article whose rendered body an output used, by the hash of its file's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Dep(u64);

impl Dep {
    pub fn article(path: &Path) -> Dep {
        Dep(hash(path))
    }
}

/// What an output was rendered from: the hash of its inputs, and the articles whose bodies
/// they took.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Key {
    pub hash: u64,
    pub deps: BTreeSet<Dep>,
}

/// The key of `value`, as serialised for templates.
pub fn key_of<T: Serialize + ?Sized>(value: &T) -> Key {
    let mut hasher = KeyHasher::default();
    // Serialising into a hasher cannot fail but for a value that refuses to serialise at all,
    // which would also fail its render: keyed apart, it renders and reports its own error.
    if value.serialize(&mut hasher).is_err() {
        return Key {
            hash: hash(("unserialisable", std::time::Instant::now())),
            deps: hasher.deps,
        };
    }
    Key {
        hash: hasher.state.finish(),
        deps: hasher.deps,
    }
}

/// A value shared by many outputs. Serialised for a template it is the value; serialised into
/// a key it is a hash of the value, taken once.
pub struct Shared<T> {
    value: T,
    dep: Option<Dep>,
    key: OnceLock<u64>,
}

impl<T: Serialize> Shared<T> {
    pub fn new(value: T, dep: Option<Dep>) -> Self {
        Shared {
            value,
            dep,
            key: OnceLock::new(),
        }
    }

    /// For renders, which receive the value as part of their inputs.
    pub fn value(&self) -> &T {
        &self.value
    }

    pub fn into_value(self) -> T {
        self.value
    }

    /// A part of the value: keyed by the whole value's key (a change anywhere in it counts), and
    /// still naming its article.
    pub fn part<'s, P: Serialize + ?Sized>(
        &'s self,
        name: &'static str,
        part: &'s P,
    ) -> Part<'s, T, P> {
        Part {
            whole: self,
            part,
            name,
        }
    }

    fn hashed(&self) -> u64 {
        *self.key.get_or_init(|| key_of(&self.value).hash)
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return self.value.serialize(serializer);
        }
        (SHARED_MARKER, self.dep.map(|d| d.0), self.hashed()).serialize(serializer)
    }
}

/// A field of a [`Shared`] value (`body.summary_text`), keyed like the whole.
pub struct Part<'s, T, P: ?Sized> {
    whole: &'s Shared<T>,
    part: &'s P,
    name: &'static str,
}

impl<T, P: ?Sized> Clone for Part<'_, T, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, P: ?Sized> Copy for Part<'_, T, P> {}

impl<'s, T, P: ?Sized> Part<'s, T, P> {
    /// For renders, which receive the part as part of their inputs.
    pub fn value(&self) -> &'s P {
        self.part
    }
}

impl<T: Serialize, P: Serialize + ?Sized> Serialize for Part<'_, T, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return self.part.serialize(serializer);
        }
        let dep = self.whole.dep.map(|d| d.0);
        (SHARED_MARKER, dep, self.name, self.whole.hashed()).serialize(serializer)
    }
}

/// A part holding HTML, which templates print as it is (a Tera safe string).
#[derive(Clone, Copy)]
pub struct Html<'s, T>(pub Part<'s, T, str>);

impl<T: Serialize> Serialize for Html<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            tera::Value::safe_string(self.0.value()).serialize(serializer)
        } else {
            self.0.serialize(serializer)
        }
    }
}

/// A value made for templates from `inputs` by `make`, at most once when given a cache: keyed
/// by its inputs, which are usually far smaller than what is made of them (a JSON-LD script, a
/// feed entry with the article's whole content). `make` is a plain function, so that it can see
/// nothing but its inputs.
pub struct Made<'c, I> {
    inputs: I,
    make: fn(&I) -> tera::Value,
    cache: Option<&'c OnceLock<tera::Value>>,
}

impl<'c, I: Serialize> Made<'c, I> {
    pub fn new(inputs: I, make: fn(&I) -> tera::Value) -> Self {
        Made {
            inputs,
            make,
            cache: None,
        }
    }

    /// Made once into `cache` however many outputs show it.
    pub fn cached(
        inputs: I,
        make: fn(&I) -> tera::Value,
        cache: &'c OnceLock<tera::Value>,
    ) -> Self {
        Made {
            inputs,
            make,
            cache: Some(cache),
        }
    }

    pub fn value(&self) -> tera::Value {
        match self.cache {
            Some(cache) => cache.get_or_init(|| (self.make)(&self.inputs)).clone(),
            None => (self.make)(&self.inputs),
        }
    }
}

impl<I: Serialize> Serialize for Made<'_, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            self.value().serialize(serializer)
        } else {
            self.inputs.serialize(serializer)
        }
    }
}

/// Tells [`KeyHasher`] that the tuple it starts holds a shared value's article and key.
const SHARED_MARKER: &str = "\u{0}digest::shared";

/// Hashes everything serialised into it, and collects the articles of shared values.
#[derive(Default)]
struct KeyHasher {
    state: KeyState,
    deps: BTreeSet<Dep>,
    /// Set by the marker string: the next `Some(u64)` is an article.
    expect_dep: bool,
}

#[derive(Debug)]
struct NotKeyable(String);

impl std::fmt::Display for NotKeyable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotKeyable {}

impl ser::Error for NotKeyable {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        NotKeyable(msg.to_string())
    }
}

type Done = Result<(), NotKeyable>;

impl KeyHasher {
    fn tag(&mut self, tag: u8) {
        self.state.write_u8(tag);
    }
}

macro_rules! hash_numbers {
    ($($method:ident: $ty:ty => $tag:expr),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Done {
            self.tag($tag);
            v.hash(&mut self.state);
            Ok(())
        })*
    };
}

impl<'h> Serializer for &'h mut KeyHasher {
    type Ok = ();
    type Error = NotKeyable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = MapHasher<'h>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn is_human_readable(&self) -> bool {
        false
    }

    hash_numbers! {
        serialize_bool: bool => 1,
        serialize_i8: i8 => 2,
        serialize_i16: i16 => 3,
        serialize_i32: i32 => 4,
        serialize_i64: i64 => 5,
        serialize_i128: i128 => 6,
        serialize_u8: u8 => 7,
        serialize_u16: u16 => 8,
        serialize_u32: u32 => 9,
        serialize_u128: u128 => 11,
        serialize_char: char => 12,
    }

    fn serialize_u64(self, v: u64) -> Done {
        if std::mem::take(&mut self.expect_dep) {
            self.deps.insert(Dep(v));
        }
        self.tag(10);
        v.hash(&mut self.state);
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Done {
        self.tag(13);
        v.to_bits().hash(&mut self.state);
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Done {
        self.tag(14);
        v.to_bits().hash(&mut self.state);
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Done {
        self.expect_dep = v == SHARED_MARKER;
        self.tag(15);
        v.hash(&mut self.state);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.tag(16);
        v.hash(&mut self.state);
        Ok(())
    }

    fn serialize_none(self) -> Done {
        self.expect_dep = false;
        self.tag(17);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.tag(18);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Done {
        self.tag(19);
        Ok(())
    }

    fn serialize_unit_struct(self, name: &'static str) -> Done {
        self.tag(20);
        name.hash(&mut self.state);
        Ok(())
    }

    fn serialize_unit_variant(self, name: &'static str, index: u32, _: &'static str) -> Done {
        self.tag(21);
        (name, index).hash(&mut self.state);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Done {
        self.tag(22);
        name.hash(&mut self.state);
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Done {
        self.tag(23);
        (name, index).hash(&mut self.state);
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, NotKeyable> {
        self.tag(24);
        Ok(self)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self, NotKeyable> {
        self.tag(25);
        Ok(self)
    }

    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<Self, NotKeyable> {
        self.tag(26);
        name.hash(&mut self.state);
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, NotKeyable> {
        self.tag(27);
        (name, index).hash(&mut self.state);
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<MapHasher<'h>, NotKeyable> {
        Ok(MapHasher {
            parent: self,
            sum: 0,
            count: 0,
            entry: KeyHasher::default(),
        })
    }

    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self, NotKeyable> {
        self.tag(29);
        name.hash(&mut self.state);
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, NotKeyable> {
        self.tag(30);
        (name, index).hash(&mut self.state);
        Ok(self)
    }
}

/// Compound values hash their elements in order, then an end mark, so that `[a, b], []` and
/// `[a], [b]` differ.
macro_rules! compound {
    ($($trait:ident { $($method:ident($($arg:ident: $ty:ty),*)),* }),* $(,)?) => {
        $(impl ser::$trait for &mut KeyHasher {
            type Ok = ();
            type Error = NotKeyable;
            $(fn $method<T: Serialize + ?Sized>(&mut self, $($arg: $ty,)* value: &T) -> Done {
                $( $arg.hash(&mut self.state); )*
                value.serialize(&mut **self)
            })*
            fn end(self) -> Done {
                self.tag(31);
                Ok(())
            }
        })*
    };
}

compound! {
    SerializeSeq { serialize_element() },
    SerializeTuple { serialize_element() },
    SerializeTupleStruct { serialize_field() },
    SerializeTupleVariant { serialize_field() },
    SerializeStruct { serialize_field(key: &'static str) },
    SerializeStructVariant { serialize_field(key: &'static str) },
}

/// Hashes a map without regard to the order of its entries: maps handed to templates (Tera's
/// own) iterate in an order that differs between two equal maps.
struct MapHasher<'h> {
    parent: &'h mut KeyHasher,
    sum: u64,
    count: u64,
    entry: KeyHasher,
}

impl ser::SerializeMap for MapHasher<'_> {
    type Ok = ();
    type Error = NotKeyable;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.entry = KeyHasher::default();
        key.serialize(&mut self.entry)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut self.entry)?;
        let entry = std::mem::take(&mut self.entry);
        self.sum = self.sum.wrapping_add(entry.state.finish());
        self.count += 1;
        self.parent.deps.extend(entry.deps);
        Ok(())
    }

    fn end(self) -> Done {
        self.parent.tag(28);
        self.parent.state.write_u64(self.count);
        self.parent.state.write_u64(self.sum);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct View<'a> {
        title: &'a str,
        body: &'a Shared<String>,
        list: Vec<u32>,
        nothing: Option<u8>,
    }

    #[test]
    fn keys_change_with_any_field_and_name_the_articles_they_used() {
        let body = Shared::new("<p>Body</p>".to_string(), Some(Dep(7)));
        let view = |title, list| View {
            title,
            body: &body,
            list,
            nothing: None,
        };
        let a = key_of(&view("A", vec![1, 2]));
        assert_eq!(a, key_of(&view("A", vec![1, 2])));
        assert_ne!(a.hash, key_of(&view("B", vec![1, 2])).hash);
        assert_ne!(a.hash, key_of(&view("A", vec![1])).hash);
        assert_ne!(a.hash, key_of(&view("A", vec![1, 2, 0])).hash);
        assert_eq!(a.deps, BTreeSet::from([Dep(7)]));

        let other = Shared::new("<p>Other</p>".to_string(), Some(Dep(7)));
        let changed = View {
            title: "A",
            body: &other,
            list: vec![1, 2],
            nothing: None,
        };
        assert_ne!(
            a.hash,
            key_of(&changed).hash,
            "the shared value's own hash counts"
        );
    }

    #[test]
    fn maps_hash_alike_in_any_order() {
        let a: Vec<(&str, u32)> = vec![("x", 1), ("y", 2), ("z", 3)];
        let forward = tera::Value::from_serializable(
            &a.iter()
                .copied()
                .collect::<std::collections::BTreeMap<_, _>>(),
        );
        let mut map = tera::Map::default();
        for (k, v) in a.iter().rev() {
            map.insert((*k).into(), tera::Value::from(*v));
        }
        assert_eq!(key_of(&forward).hash, key_of(&tera::Value::from(map)).hash);
        let mut other = tera::Map::default();
        other.insert("x".into(), tera::Value::from(2));
        other.insert("y".into(), tera::Value::from(1));
        other.insert("z".into(), tera::Value::from(3));
        assert_ne!(
            key_of(&forward).hash,
            key_of(&tera::Value::from(other)).hash
        );
    }

    #[test]
    fn sequences_keep_their_boundaries() {
        let split = |a: Vec<&str>, b: Vec<&str>| key_of(&(a, b)).hash;
        assert_ne!(split(vec!["a", "b"], vec![]), split(vec!["a"], vec!["b"]));
    }

    #[test]
    fn parts_are_keyed_by_their_whole_and_name_its_article() {
        #[derive(Serialize)]
        struct Body {
            html: String,
            words: usize,
        }
        let body = Shared::new(
            Body {
                html: "<p>x</p>".into(),
                words: 1,
            },
            Some(Dep(3)),
        );
        let whole = key_of(&&body);
        let part = key_of(&body.part("words", &body.value().words));
        assert_eq!(part.deps, BTreeSet::from([Dep(3)]));
        assert_eq!(whole.deps, part.deps);
        let other = Shared::new(
            Body {
                html: "<p>y</p>".into(),
                words: 1,
            },
            Some(Dep(3)),
        );
        let _ = key_of(&&other);
        assert_ne!(
            part.hash,
            key_of(&other.part("words", &other.value().words)).hash,
            "a part changes with anything in its whole"
        );
    }

    #[test]
    fn templates_see_the_values_themselves() {
        let body = Shared::new("<p>Body</p>".to_string(), Some(Dep(1)));
        let view = View {
            title: "T",
            body: &body,
            list: vec![],
            nothing: None,
        };
        let value = tera::Value::from_serializable(&view);
        let map = value.as_map().unwrap();
        assert_eq!(
            map.get(&"body".into()).and_then(|v| v.as_str()),
            Some("<p>Body</p>")
        );
    }
}
