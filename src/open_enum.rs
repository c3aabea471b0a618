//! String enums that stay open to values the vendor adds later.

/// A value an open enum does not know, kept as sent. It can only come from
/// parsing (`From<&str>`, deserialization), so it never stands for a value
/// the enum knows: `ProductType::from("FIXED_VALUE_RECHARGE")` is always
/// `ProductType::FixedValueRecharge`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Only the enums' parsers build one, for a value they do not know.
    pub(crate) fn new(value: &str) -> Self {
        Self(value.to_string())
    }

    /// The value as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What every open enum offers, whatever its API version: the wire value,
/// and whether this version of the crate knows it. Version-neutral code
/// (filters, the simulator) takes any open enum through it.
pub trait OpenEnum:
    Clone + std::fmt::Debug + std::fmt::Display + for<'a> From<&'a str> + Send + Sync + 'static
{
    /// Every value this version of the crate knows.
    const KNOWN: &'static [&'static str];

    /// The wire value.
    fn as_str(&self) -> &str;

    /// False for a value this version of the crate does not know.
    fn is_known(&self) -> bool {
        Self::KNOWN.contains(&self.as_str())
    }
}

/// Declares a string enum with an `Unknown(UnknownValue)` variant for values this
/// version of the crate does not know, with `as_str`, `Display`, `FromStr`
/// (infallible), `From<&str>`, string (de)serialization, a JSON schema of a
/// string, and [`OpenEnum`].
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know, kept as sent.
            Unknown($crate::UnknownValue),
        }

        impl $name {
            /// Every value this version of the crate knows.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(s) => s.as_str(),
                }
            }

            /// False for [`Self::Unknown`].
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl $crate::OpenEnum for $name {
            const KNOWN: &'static [&'static str] = Self::KNOWN;

            fn as_str(&self) -> &str {
                Self::as_str(self)
            }

            fn is_known(&self) -> bool {
                Self::is_known(self)
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).to_string()
            }

            fn is_referenceable() -> bool {
                false
            }

            /// A string: values this version does not know are accepted too.
            fn json_schema(generator: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                <String as ::schemars::JsonSchema>::json_schema(generator)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown($crate::UnknownValue::new(other)),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok(Self::from(s.as_ref()))
            }
        }
    };
}
pub(crate) use open_enum;
